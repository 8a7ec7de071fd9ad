/**
 * Builders that drive the real API the way a site and a monitor would, each action on its own day:
 * the server clock is moved to noon UTC of the day something is recorded, so recorded-at (and with it
 * data-entry latency) and the time of every monitor action are part of the scenario.
 */
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { MONITORING_PROJECTIONS } from '../../apps/monitoring/src/monitoring.schema';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import {
  adverseEventBody,
  assessmentBody,
  enrolmentBody,
  infusionBody,
  labBody,
  neurographyBody,
  randomizationBody,
  submission,
  trialWithSites,
  withdrawalBody,
} from '../ingest/site-api';
import { startTestApp, type TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';

export const noonOf = (date: string): Date => new Date(`${date}T12:00:00Z`);

/**
 * The platform as the monitoring suites use it: the write side, the monitoring API and its projection,
 * fed from the store, or through the relay and a Kafka topic when one is given.
 */
export const startMonitoringApp = (firstDay: string, kafka?: { brokers: string[]; topic: string }): Promise<TestApp> =>
  startTestApp(
    [IngestModule, MonitoringModule, ProjectionsModule.forRoot(MONITORING_PROJECTIONS), ...(kafka ? [RelayModule.forRoot()] : [])],
    { now: noonOf(firstDay), ...(kafka ? { kafkaBrokers: kafka.brokers, kafkaTopic: kafka.topic } : {}) },
  );

type Created = { eventId: string; body: Record<string, unknown> };

async function postOn(app: TestApp, token: string, day: string, path: string, body: object): Promise<Created> {
  app.setNow(noonOf(day));
  const response = await app.http().post(path).set('Authorization', token).send(body);
  if (response.status !== 201) throw new Error(`POST ${path} on ${day}: ${response.status} ${JSON.stringify(response.body)}`);
  return { eventId: response.body.events.at(-1).eventId as string, body: response.body };
}

/** A site's coordinator entering data; `recordedOn` defaults to the clinical date (entered the same day). */
export class SiteDesk {
  constructor(
    readonly app: TestApp,
    readonly siteId: string,
    readonly token: string,
  ) {}

  async enrol(
    screeningNumber: string,
    consentDate: string,
    options: { eligible?: boolean; recordedOn?: string } = {},
  ): Promise<PatientDesk> {
    const eligibility =
      options.eligible === false ? { met: false, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: false }] } : undefined;
    const body = enrolmentBody(screeningNumber, { occurredAt: consentDate, consentDate, ...(eligibility ? { eligibility } : {}) });
    const { eventId, body: response } = await postOn(
      this.app,
      this.token,
      options.recordedOn ?? consentDate,
      `/sites/${this.siteId}/patients`,
      body,
    );
    return new PatientDesk(this, response.patientId as string, eventId);
  }
}

export class PatientDesk {
  constructor(
    readonly site: SiteDesk,
    readonly patientId: string,
    /** The PatientEnrolled (or PatientScreenFailed) event. */
    readonly enrolmentEventId: string,
  ) {}

  private async submit(route: string, occurredAt: string, body: object, recordedOn = occurredAt): Promise<string> {
    const path = `/patients/${this.patientId}/${route}`;
    return (await postOn(this.site.app, this.site.token, recordedOn, path, { ...body, occurredAt })).eventId;
  }

  randomize(occurredAt: string, kitNumber: string): Promise<string> {
    return this.submit('randomization', occurredAt, randomizationBody({ kitNumber }));
  }

  lab(analyte: string, occurredAt: string, value: number, recordedOn?: string): Promise<string> {
    const unit = { IGM: 'g/L', ANTI_MAG: 'BTU', CD19: 'cells/µL', CD20: 'cells/µL' }[analyte];
    return this.submit('labs', occurredAt, labBody({ analyte, value, unit }), recordedOn);
  }

  assessment(occurredAt: string, recordedOn?: string): Promise<string> {
    return this.submit('assessments', occurredAt, assessmentBody(), recordedOn);
  }

  neurography(occurredAt: string, limbTemperatureC: number, recordedOn?: string): Promise<string> {
    return this.submit('neurography', occurredAt, neurographyBody({ limbTemperatureC }), recordedOn);
  }

  /** The screening visit's forms: anti-MAG titer, IgM, assessment. */
  async screeningForms(date: string, recordedOn?: string): Promise<void> {
    await this.lab('ANTI_MAG', date, 25000, recordedOn);
    await this.lab('IGM', date, 12.5, recordedOn);
    await this.assessment(date, recordedOn);
  }

  /**
   * The baseline labs and assessment (the nerve conduction study is recorded on its own). The B-cell
   * counts are masked analytes: their values must never reach a blinded reader.
   */
  async baselineForms(date: string, bCells: { cd19: number; cd20: number }, recordedOn?: string): Promise<{ assessment: string }> {
    await this.lab('IGM', date, 11.8, recordedOn);
    await this.lab('ANTI_MAG', date, 24000, recordedOn);
    await this.lab('CD19', date, bCells.cd19, recordedOn);
    await this.lab('CD20', date, bCells.cd20, recordedOn);
    return { assessment: await this.assessment(date, recordedOn) };
  }

  /** 705 mg is the planned dose of 375 mg/m² for the enrolment's 172 cm and 74 kg (BSA 1.88 m²). */
  infusion(occurredAt: string, administeredDoseMg = 705, recordedOn?: string): Promise<string> {
    return this.submit('infusions', occurredAt, infusionBody({ administeredDoseMg }), recordedOn);
  }

  adverseEvent(occurredAt: string, serious: boolean, recordedOn?: string): Promise<string> {
    return this.submit('adverse-events', occurredAt, adverseEventBody({ serious }), recordedOn);
  }

  withdraw(occurredAt: string): Promise<string> {
    return this.submit('withdrawal', occurredAt, withdrawalBody());
  }

  correct(correctedEventId: string, occurredAt: string, data: object, recordedOn: string): Promise<string> {
    return this.submit('corrections', occurredAt, { ...submission(), correctedEventId, reason: 'Transcription error', data }, recordedOn);
  }

  async answerQuery(queryId: string, text: string, on: string, correctionEventId?: string): Promise<string> {
    const body = { ...submission(), text, ...(correctionEventId ? { correctionEventId } : {}) };
    return (await postOn(this.site.app, this.site.token, on, `/patients/${this.patientId}/queries/${queryId}/answer`, body)).eventId;
  }
}

/** A monitor's actions on a patient's record, each on the day given. */
export class MonitorDesk {
  constructor(
    readonly app: TestApp,
    readonly token: string,
  ) {}

  async raiseQuery(patientId: string, targetEventId: string, field: string, text: string, on: string): Promise<string> {
    const { body } = await postOn(this.app, this.token, on, `/patients/${patientId}/queries`, {
      ...submission(),
      targetEventId,
      field,
      text,
    });
    return body.queryId as string;
  }

  async close(patientId: string, queryId: string, on: string): Promise<void> {
    await postOn(this.app, this.token, on, `/patients/${patientId}/queries/${queryId}/close`, submission());
  }

  async cancel(patientId: string, queryId: string, reason: string, on: string): Promise<void> {
    await postOn(this.app, this.token, on, `/patients/${patientId}/queries/${queryId}/cancel`, { ...submission(), reason });
  }

  async verify(patientId: string, targetEventId: string, on: string, fields?: string[]): Promise<void> {
    await postOn(this.app, this.token, on, `/patients/${patientId}/source-data-verifications`, {
      ...submission(),
      targetEventId,
      ...(fields ? { fields } : {}),
    });
  }
}

/** Activated sites, each with its coordinator's desk. */
export async function sitesOf(app: TestApp, siteIds: string[]): Promise<Record<string, SiteDesk>> {
  const { coordinators } = await trialWithSites(app, siteIds);
  return Object.fromEntries(siteIds.map((siteId) => [siteId, new SiteDesk(app, siteId, coordinators[siteId])]));
}

/** A GET on the monitoring API once the read model has applied everything committed. */
export async function read(app: TestApp, token: string, path: string) {
  await whenProjectionCaughtUp(app.dataSource, 'monitoring');
  return app.http().get(path).set('Authorization', token);
}
