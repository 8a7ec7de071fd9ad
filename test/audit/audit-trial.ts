/** An app with the auditor's API on a fresh database, and a small trial recorded through the site API. */
import type { EventEnvelope, Role } from '@trialstream/domain';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { startTestApp, type TestApp } from '../support/app';
import { runCli, type CliResult } from '../support/cli';
import { whenProjectionCaughtUp } from '../support/projections';
import {
  adverseEventBody,
  assessmentBody,
  enrolmentBody,
  infusionBody,
  labBody,
  NOW,
  neurographyBody,
  randomizedPatient,
  submission,
  trialWithSites,
  withdrawalBody,
} from '../ingest/site-api';

export { NOW };

/** Roles that must never read the audit API. */
export const NON_AUDITOR_ROLES: readonly Role[] = [
  'site_coordinator',
  'monitor',
  'blinded_statistician',
  'unblinded_statistician',
  'safety_board',
  'administrator',
];

export const startAuditApp = (): Promise<TestApp> =>
  startTestApp([IngestModule, AuditModule, ProjectionsModule.forRoot(PLATFORM_PROJECTIONS)], { now: NOW });

export const bearer = (app: TestApp, token: string) => ({
  get: (path: string) => app.http().get(path).set('Authorization', token),
  post: (path: string, body: object) => app.http().post(path).set('Authorization', token).send(body),
});

/** The id of the one event a submission appended. */
export async function submit(app: TestApp, token: string, path: string, body: object): Promise<string> {
  const res = await bearer(app, token).post(path, body);
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.events[0].eventId as string;
}

export interface RecordedTrial {
  auditor: string;
  coordinators: Record<string, string>;
  /** S01-0001: every kind of clinical data; its IgM is corrected a day later and its adverse event voided. */
  anna: string;
  /** S02-0001: a lab result and an adverse event, then withdrawn. */
  bruno: string;
  ids: { annaIgm: string; annaCd19: string; annaAe: string; igmCorrection: string; aeVoid: string; brunoIgm: string };
  /** When the data was entered, and when the IgM was corrected and the adverse event voided. */
  enteredAt: Date;
  correctedAt: Date;
}

export const IGM_CORRECTION_REASON = 'transcription error: 1.25 g/L on the lab report';

/** Two sites, three patients (one screen failure), every kind of data, one correction and one void a day later. */
export async function recordTrial(app: TestApp): Promise<RecordedTrial> {
  app.setNow(NOW);
  const { coordinators } = await trialWithSites(app, ['S01', 'S02']);
  const auditor = await app.userToken('auditor');
  const anna = await randomizedPatient(app, coordinators.S01, 'S01', '0001');
  const bruno = await randomizedPatient(app, coordinators.S02, 'S02', '0001');
  await bearer(app, coordinators.S01)
    .post(
      '/sites/S01/patients',
      enrolmentBody('0002', { eligibility: { met: false, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: false }] } }),
    )
    .expect(201);

  const at = (patient: string, route: string) => `/patients/${patient}/${route}`;
  const S01 = coordinators.S01;
  await submit(app, S01, at(anna, 'infusions'), infusionBody());
  const annaIgm = await submit(app, S01, at(anna, 'labs'), labBody({ value: 12.5 }));
  await submit(app, S01, at(anna, 'labs'), labBody({ analyte: 'ANTI_MAG', value: 70000, unit: 'BTU', qualifier: '>' }));
  const annaCd19 = await submit(app, S01, at(anna, 'labs'), labBody({ analyte: 'CD19', value: 187.25, unit: 'cells/µL' }));
  await submit(app, S01, at(anna, 'neurography'), neurographyBody());
  await submit(app, S01, at(anna, 'assessments'), assessmentBody());
  const annaAe = await submit(app, S01, at(anna, 'adverse-events'), adverseEventBody({ term: 'Rash, "itchy", on both arms' }));
  const brunoIgm = await submit(app, coordinators.S02, at(bruno, 'labs'), labBody({ value: 9.75 }));
  await submit(app, coordinators.S02, at(bruno, 'adverse-events'), adverseEventBody({ term: 'Headache' }));
  await submit(app, coordinators.S02, at(bruno, 'withdrawal'), withdrawalBody());

  const correctedAt = new Date(NOW.getTime() + 24 * 3600_000);
  app.setNow(correctedAt);
  const igmCorrection = await submit(app, S01, at(anna, 'corrections'), {
    ...submission(),
    occurredAt: '2026-03-09',
    correctedEventId: annaIgm,
    reason: IGM_CORRECTION_REASON,
    data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
  });
  const aeVoid = await submit(app, S01, at(anna, 'voids'), {
    ...submission(),
    occurredAt: '2026-03-11',
    voidedEventId: annaAe,
    reason: 'entered for the wrong patient',
  });
  return {
    auditor,
    coordinators,
    anna,
    bruno,
    ids: { annaIgm, annaCd19, annaAe, igmCorrection, aeVoid, brunoIgm },
    enteredAt: NOW,
    correctedAt,
  };
}

/** The whole log through the auditor's paged API. */
export async function allEvents(app: TestApp, auditor: string, limit = 500): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let after: string | null = '0'; after !== null;) {
    const page: { body: { events: EventEnvelope[]; nextAfterPosition: string | null } } = await bearer(app, auditor)
      .get(`/audit/events?afterPosition=${after}&limit=${limit}`)
      .expect(200);
    events.push(...page.body.events);
    after = page.body.nextAfterPosition;
  }
  return events;
}

/** Waits until every read model of the platform has applied everything committed. */
export async function whenReadModelsCaughtUp(app: TestApp): Promise<void> {
  for (const projection of PLATFORM_PROJECTIONS) await whenProjectionCaughtUp(app.dataSource, projection.schema);
}

/** Runs one of the audit command-line tools as its own process against the test database. */
export function runAuditCli(script: 'verify' | 'replay', args: string[], databaseUrl: string): Promise<CliResult> {
  return runCli(`apps/audit-cli/src/${script}.ts`, args, { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' } });
}

/** GET /audit/verify starts a job (202); its Location answers the result once it has finished. */
export async function verifyThroughApi(app: TestApp, auditor: string, timeoutMs = 60_000) {
  const started = await bearer(app, auditor).get('/audit/verify').expect(202);
  expect(started.headers.location).toBe(`/audit/verify/${started.body.jobId}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await bearer(app, auditor).get(started.headers.location).expect(200);
    if (body.state !== 'running') {
      expect(body.state).toBe(body.result.ok ? 'passed' : 'failed');
      expect(body.progress.readModelsChecked).toBe(body.progress.readModels);
      return body.result;
    }
    if (Date.now() > deadline) throw new Error('the verification job did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
