import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  decideAnswerQuery,
  decideCorrection,
  decideInfusion,
  decideLabResult,
  decideRaiseQuery,
  decideSourceDataVerification,
  draftEvent,
  monitoredPatientStateFrom,
  seededRandom,
  TrialStreams,
  type EventEnvelope,
} from '@trialstream/domain';
import { InMemoryReadModel } from '@trialstream/projections/testing/in-memory-read-model';
import {
  aMonitoredPatient,
  at,
  aPatient,
  context,
  infusionCommand,
  labResultCommand,
  committed,
  protocolVersion,
  recordedStream,
} from '@trialstream/domain/testing';
import { interleaved } from '@trialstream/projections/testing/patient-stories';
import { CODE_BREAK_EVENT_TYPE } from './blinded-fold';
import {
  MONITORING_EVENTS,
  MONITORING_PATIENTS,
  MONITORING_SITES,
  eventFactsOf,
  monitoredStateOf,
  withoutFoldParts,
  type MonitoringEventRow,
  type MonitoringPatientRow,
} from './monitoring-rows';
import { MONITORING_PROJECTION } from './monitoring.projection';

async function modelOf(...batches: EventEnvelope[][]): Promise<InMemoryReadModel> {
  const model = new InMemoryReadModel(MONITORING_PROJECTION);
  for (const batch of batches) await model.apply(batch);
  return model;
}

const patientRow = (model: InMemoryReadModel, patientId: string) =>
  model.rowsOf(MONITORING_PATIENTS).find((row) => row.patient_id === patientId) as MonitoringPatientRow;

const eventRows = (model: InMemoryReadModel, patientId: string) =>
  (model.rowsOf(MONITORING_EVENTS) as MonitoringEventRow[]).filter((row) => row.patient_id === patientId);

/** The patient's fold and log as the API reads them back, and every row they come from. */
const patientFacts = (model: InMemoryReadModel, patientId: string) => {
  const row = patientRow(model, patientId);
  const events = eventRows(model, patientId);
  return { ...monitoredStateOf(row, events), rows: JSON.stringify([row, events]) };
};

/** A randomized patient of ZH01 with an infusion and an IgM result, a query on the infusion and a verification. */
function aMonitoredStream(screeningNumber = '007') {
  const patient = aMonitoredPatient(aPatient().enrolled({ screeningNumber }).randomized());
  const infusion = patient.clinical.record(decideInfusion, infusionCommand({ administeredDoseMg: 900 }));
  const igm = patient.clinical.record(decideLabResult, labResultCommand());
  patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: infusion, field: 'administeredDoseMg', text: 'Log says 740 mg' });
  patient.act(decideSourceDataVerification, { targetEventId: igm });
  return { patient, patientId: `ZH01-${screeningNumber}`, infusion, igm };
}

describe('the monitoring projection', () => {
  it('holds the same monitoring fold the write side decides queries on', async () => {
    const { patient, patientId } = aMonitoredStream();
    const model = await modelOf(recordedStream(patientId, 'ZH01', patient.fixture.events));

    const row = patientRow(model, patientId);
    expect(row).toMatchObject({
      patient_id: patientId,
      site_id: 'ZH01',
      status: 'randomized',
      consent_date: '2024-01-10',
      stream_version: 6,
    });
    const facts = patientFacts(model, patientId);
    expect(facts.state).toEqual(monitoredPatientStateFrom(patient.fixture.events));
    expect(facts.log.map((logged) => logged.type)).toEqual([
      'PatientEnrolled',
      'PatientRandomized',
      'InfusionGiven',
      'LabResulted',
      'QueryRaised',
      'SourceDataVerified',
    ]);
  });

  it('writes each event its own row, and the row it targets: the entry amended or verified, the query moved on', async () => {
    const { patient, patientId, infusion, igm } = aMonitoredStream();
    const later = context({ now: new Date('2024-08-01T12:00:00Z') });
    const correction = patient.clinical.record(
      decideCorrection,
      {
        occurredAt: '2024-02-01',
        correctedEventId: infusion,
        correctedType: 'InfusionGiven',
        reason: 'pharmacy log',
        data: { doseLevelMgPerM2: 375, administeredDoseMg: 740 },
      },
      later,
    );
    patient.act(decideAnswerQuery, { queryId: 'q-1', text: 'Corrected', correctionEventId: correction }, at('2024-06-04T09:00:00Z'));
    const model = await modelOf(recordedStream(patientId, 'ZH01', patient.fixture.events));

    const events = eventRows(model, patientId);
    const row = (eventId: string) => events.find((event) => event.event_id === eventId)!;
    expect(events.map((event) => event.stream_version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(row(infusion)).toMatchObject({
      entry: { data: { administeredDoseMg: 740 }, correctedBy: correction },
      correction: { correctionEventId: correction },
    });
    expect(row(igm).verification).toMatchObject({ status: 'verified' });
    expect(events[4].query).toMatchObject({ queryId: 'q-1', status: 'answered', history: [{ action: 'raise' }, { action: 'answer' }] });
    expect(events[7]).toMatchObject({ type: 'QueryAnswered', entry: { type: 'QueryAnswered' }, query: null, verification: null });
    // the patient row keeps nothing that grows with each entry
    const { state } = patientRow(model, patientId);
    expect([state.patient.entries, state.patient.corrections, state.queries, state.verifications]).toEqual([{}, {}, {}, {}]);
    expect(patientFacts(model, patientId).state).toEqual(monitoredPatientStateFrom(patient.fixture.events));
  });

  it('keeps no masked analyte value, neither as recorded nor as corrected', async () => {
    const fixture = aPatient().enrolled().randomized();
    const cd19 = fixture.record(decideLabResult, labResultCommand({ analyte: 'CD19', value: 613.37, unit: 'cells/µL' }));
    fixture.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: cd19,
      correctedType: 'LabResulted',
      reason: 'typo',
      data: { analyte: 'CD19', value: 587.21, unit: 'cells/µL', qualifier: '=' },
    });
    const model = await modelOf(recordedStream('ZH01-007', 'ZH01', fixture.events));

    const facts = patientFacts(model, 'ZH01-007');
    expect(facts.rows).not.toMatch(/613\.37|587\.21/);
    // the analyte name stays: a monitor may see that a B-cell count was taken, and when
    expect(facts.state.patient.entries[cd19]).toMatchObject({ type: 'LabResulted', data: { analyte: 'CD19', masked: true } });
  });

  it('keeps only the payload fields monitors work with, so an allocation can never ride along', async () => {
    const fixture = aPatient().enrolled();
    fixture.commit(draftEvent('PatientRandomized', '2024-01-20', { kitNumber: 'K-0042', stratum: 'ZH01', arm: 'rituximab' } as never));
    const model = await modelOf(recordedStream('ZH01-007', 'ZH01', fixture.events));

    const facts = patientFacts(model, 'ZH01-007');
    expect(Object.values(facts.state.patient.entries).find((entry) => entry.type === 'PatientRandomized')?.data).toEqual({
      kitNumber: 'K-0042',
      stratum: 'ZH01',
    });
    expect(facts.rows).not.toContain('rituximab');
  });

  it('logs an emergency code-break with its time only, never what it revealed', async () => {
    const fixture = aPatient().enrolled().randomized();
    fixture.events.push(committed('evt-break', CODE_BREAK_EVENT_TYPE, '2024-03-01T10:00:00Z', { arm: 'placebo', reason: 'anaphylaxis' }));
    const model = await modelOf(recordedStream('ZH01-007', 'ZH01', fixture.events));

    const facts = patientFacts(model, 'ZH01-007');
    expect(facts.log.at(-1)).toEqual({
      eventId: 'evt-break',
      type: CODE_BREAK_EVENT_TYPE,
      occurredAt: '2024-03-01T10:00:00Z',
      recordedAt: '2024-03-01T12:00:00.000Z',
    });
    expect(facts.rows).not.toMatch(/placebo|anaphylaxis/);
    expect(facts.state.patient.entries).not.toHaveProperty('evt-break');
  });

  it('yields the same rows for every interleaving of patients and sites', async () => {
    const streams = ['001', '002', '003'].map((number) => {
      const { patient, patientId } = aMonitoredStream(number);
      return recordedStream(patientId, 'ZH01', patient.fixture.events);
    });
    const activation = recordedStream('ZH01-site', 'ZH01', [
      committed('evt-site', 'SiteActivated', '2024-01-02', { siteId: 'ZH01', name: 'Universitätsspital Zürich', country: 'CH' }),
    ]).map((event) => ({ ...event, streamId: 'site-ZH01' }));
    const reference = await modelOf([...streams.flat(), ...activation]);

    for (let seed = 1; seed <= 10; seed++) {
      const model = new InMemoryReadModel(MONITORING_PROJECTION);
      for (const event of interleaved([...streams, activation], seededRandom(seed))) await model.apply([event]);
      for (const table of [MONITORING_PATIENTS, MONITORING_EVENTS]) {
        expect({ seed, rows: model.rowsOf(table) }).toEqual({ seed, rows: reference.rowsOf(table) });
      }
      expect(model.rowsOf(MONITORING_SITES)).toEqual([
        { site_id: 'ZH01', name: 'Universitätsspital Zürich', country: 'CH', activated_on: '2024-01-02' },
      ]);
    }
  });

  it('refuses a patient event on a stream that is not a patient’s', async () => {
    const [misplaced] = recordedStream('ZH01-007', 'ZH01', aPatient().enrolled().events).map((event) => ({
      ...event,
      streamId: 'site-ZH01',
    }));
    await expect(modelOf([misplaced])).rejects.toThrow('site-ZH01, which is not a patient stream');
  });

  describe("masks what the trial's protocol masks, as its trial stream declares it", () => {
    const trial = new TrialStreams('anti-mag-open');
    /** A patient of `trial` with a CD19 result (masked by the built-in protocol) and an IgM result. */
    const trialPatient = () => {
      const fixture = aPatient().enrolled().randomized();
      const cd19 = fixture.record(decideLabResult, labResultCommand({ analyte: 'CD19', value: 0.4, unit: '%' }));
      const igm = fixture.record(decideLabResult, labResultCommand({ value: 44.4 }));
      const events = recordedStream('ZH01-007', 'ZH01', fixture.events).map((event) => ({ ...event, streamId: trial.patient('ZH01-007') }));
      return { events, cd19, igm };
    };
    const entriesAfter = async (events: EventEnvelope[]) => {
      const model = new InMemoryReadModel(MONITORING_PROJECTION);
      for (const event of events) await model.apply([event]);
      return patientFacts(model, 'ZH01-007').state.patient.entries;
    };

    it('an open-label trial masks nothing: monitors see B cells', async () => {
      const { events, cd19 } = trialPatient();
      const entries = await entriesAfter([
        protocolVersion(trial, 1, { ...ANTI_MAG_RITUXIMAB_PROTOCOL, id: trial.trialId!, maskedAnalytes: [] }),
        ...events,
      ]);
      expect(entries[cd19].data).toMatchObject({ analyte: 'CD19', value: 0.4, unit: '%' });
    });

    it('a blinded trial masks its own analytes, here IgM and not CD19', async () => {
      const { events, cd19, igm } = trialPatient();
      const masksIgm = { ...ANTI_MAG_RITUXIMAB_PROTOCOL, id: trial.trialId!, maskedAnalytes: ['IGM'] as const };
      const entries = await entriesAfter([protocolVersion(trial, 1, masksIgm), ...events]);
      expect(entries[igm].data).toEqual({ analyte: 'IGM', masked: true });
      expect(entries[cd19].data).toMatchObject({ analyte: 'CD19', value: 0.4 });
    });

    it('keeps the first version’s masking (amendments may not change it) and masks by the built-in protocol before any version', async () => {
      const { events, cd19 } = trialPatient();
      const openLabel = { ...ANTI_MAG_RITUXIMAB_PROTOCOL, id: trial.trialId!, maskedAnalytes: [] };
      const amendedToMask = protocolVersion(trial, 2, { ...openLabel, maskedAnalytes: ['CD19'] });
      expect((await entriesAfter([protocolVersion(trial, 1, openLabel), amendedToMask, ...events]))[cd19].data).toMatchObject({
        value: 0.4,
      });
      expect((await entriesAfter(events))[cd19].data).toEqual({ analyte: 'CD19', masked: true });
    });
  });
});

describe('monitoredStateOf', () => {
  it('puts the fold’s per-event parts back in stream order, whatever order the event rows come in', () => {
    const { patient } = aMonitoredStream();
    const state = monitoredPatientStateFrom(patient.fixture.events);
    const events = patient.fixture.events.map(({ eventId, type, occurredAt }, index) => ({
      stream_version: index + 1,
      event_id: eventId,
      type,
      occurred_at: occurredAt,
      recorded_at: '2024-06-01T12:00:00Z',
      ...eventFactsOf(state, eventId),
    }));

    const restored = monitoredStateOf({ state: withoutFoldParts(state) }, events.reverse());

    expect(Object.keys(restored.state.patient.entries)).toEqual(patient.fixture.events.map((event) => event.eventId));
    expect(restored.state).toEqual(state);
    expect(restored.log.map((logged) => logged.eventId)).toEqual(patient.fixture.events.map((event) => event.eventId));
  });
});
