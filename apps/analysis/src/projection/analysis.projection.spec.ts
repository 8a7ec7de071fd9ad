import { InMemoryReadModel } from '@trialstream/projections/testing/in-memory-read-model';
import { givenEvents } from '@trialstream/projections/testing/given-events';
import { interleaved } from '@trialstream/projections/testing/patient-stories';
import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  seededRandom,
  TrialStreams,
  visitAnchorsOf,
  withProtocolVisits,
  type EventEnvelope,
  type ProtocolDefinition,
} from '@trialstream/domain';
import { sourceOfRows, type SourceEntryRow, type SourceHeaderRow } from './analysis-source';
import { ANALYSIS_PROJECTION, ANALYSIS_TABLES } from './analysis.projection';
import { protocolVersion } from '@trialstream/domain/testing';
import { patientRowsOf, PatientStory } from './testing';
import { EntryReadings, type PatientRows } from './analysis-rows';
import { anchorsOf } from '../read/analysis-reader';
import { withVisitsNamed, type StoredPatientRecord } from '../endpoints';

const modelOf = (...stories: PatientStory[]): Promise<InMemoryReadModel> =>
  givenEvents(ANALYSIS_PROJECTION, ...stories.map((story) => story.events)).model();

const observations = (model: InMemoryReadModel, parameter: string) =>
  model
    .rowsOf(ANALYSIS_TABLES.observations)
    .filter((row) => row.parameter === parameter)
    .sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.entry_order) - Number(b.entry_order));

/**
 * The visits a read names the rows' dates by (the built-in first protocol's schedule here), counted from the
 * anchors stored on the patient's row: the rows themselves hold no visit name.
 */
const namedVisits = (model: InMemoryReadModel, rows: ReadonlyArray<Record<string, unknown>>): string[] => {
  const [patient] = model.rowsOf(ANALYSIS_TABLES.patients);
  const dates = rows.map((row) => ({ date: String(row.date) }));
  return withProtocolVisits(dates, ANTI_MAG_RITUXIMAB_PROTOCOL.schedule, visitAnchorsOf(anchorsOf(patient))).map((row) => row.visit);
};

/** A treated patient: screening and baseline IgM, one infusion on 2024-02-01, follow-ups at months 3 and 6. */
function treatedPatient(number = '001', siteId = 'ZH01'): PatientStory {
  const story = new PatientStory(siteId, number).randomized(`K-${number}`);
  story.lab('2024-01-16', 'IGM', 1500, 'mg/dL');
  story.lab('2024-02-01', 'IGM', 12);
  story.infusion('2024-02-01');
  story.lab('2024-05-02', 'IGM', 6);
  story.lab('2024-08-01', 'IGM', 9);
  return story;
}

describe('the analysis projection', () => {
  it('gives each IgM value in g/L with its date, cycle, dose level, baseline, change and nadir; a read names its visit', async () => {
    const model = await modelOf(treatedPatient());
    const rows = observations(model, 'IGM');
    const common = {
      patient_id: 'ZH01-001',
      parameter: 'IGM',
      site_id: 'ZH01',
      unit: 'g/L',
      qualifier: '=',
      baseline_value: 12,
      baseline_qualifier: '=',
    };
    expect(rows).toEqual([
      // 1500 mg/dL × 0.01 = 15 g/L, 16 days before the first infusion: screening, before treatment, no change
      expect.objectContaining({
        ...common,
        date: '2024-01-16',
        cycle: 0,
        dose_level: null,
        value: 15,
        is_baseline: false,
        is_nadir: false,
        change: null,
        percent_change: null,
        percent_of_baseline: null,
        change_censored: false,
      }),
      // drawn on the first infusion day, before dosing: the baseline
      expect.objectContaining({
        ...common,
        date: '2024-02-01',
        cycle: 0,
        dose_level: null,
        value: 12,
        is_baseline: true,
        change: null,
      }),
      // day 91: month 3 of cycle 1 at 375 mg/m²; 6 − 12 = −6, −6 / 12 = −50%, 6 / 12 = 50% of baseline; the lowest value
      expect.objectContaining({
        ...common,
        date: '2024-05-02',
        cycle: 1,
        dose_level: 375,
        value: 6,
        is_baseline: false,
        is_nadir: true,
        change: -6,
        percent_change: -50,
        percent_of_baseline: 50,
      }),
      // day 182: month 6; 9 − 12 = −3, −25%, 75% of baseline
      expect.objectContaining({
        ...common,
        date: '2024-08-01',
        cycle: 1,
        value: 9,
        is_nadir: false,
        change: -3,
        percent_change: -25,
        percent_of_baseline: 75,
      }),
    ]);
    // baseline 01-18..02-01, month 3 = day 91 ± 14, month 6 = day 182 ± 14; 01-16 is before the baseline window
    // (the analysis counts no visit from consent: see visitAnchorsOf)
    expect(namedVisits(model, rows)).toEqual(['unscheduled', 'baseline', 'month-3', 'month-6']);
    expect(rows[0]).not.toHaveProperty('visit');
  });

  it('takes the later of two samples of the first infusion day as the baseline, in recording order', async () => {
    const story = treatedPatient();
    story.lab('2024-02-01', 'IGM', 10);
    const rows = observations(await modelOf(story), 'IGM');
    expect(rows.filter((row) => row.is_baseline).map((row) => row.value)).toEqual([10]);
    // month 6: (9 − 10) / 10 = −10%
    expect(rows[rows.length - 1]).toMatchObject({ baseline_value: 10, percent_change: -10 });
  });

  it('keeps a censored value censored: qualifier and limit as reported, no change computed from it', async () => {
    const story = treatedPatient();
    story.lab('2024-02-01', 'ANTI_MAG', 70000, 'BTU', '>');
    story.lab('2024-05-02', 'ANTI_MAG', 30000, 'BTU');
    const [baseline, followUp] = observations(await modelOf(story), 'ANTI_MAG');
    expect(baseline).toMatchObject({ value: 70000, qualifier: '>', unit: 'BTU', is_baseline: true });
    expect(followUp).toMatchObject({
      value: 30000,
      qualifier: '=',
      baseline_value: 70000,
      baseline_qualifier: '>',
      change_censored: true,
      change: null,
      percent_change: null,
    });
  });

  it('turns nerve conduction and clinical scales into parameters per nerve and side, and keeps global status apart', async () => {
    const story = treatedPatient();
    story.neurography('2024-02-01', [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 30, distalMotorLatencyMs: 7.2 }]);
    story.neurography('2024-08-01', [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 33, distalMotorLatencyMs: 6.5 }]);
    story.assessment('2024-02-01', { incatArms: 1, incatLegs: 2, sensorySumScore: 10, mrcSumScore: 55, tenMetreWalkSeconds: 9.5 });
    story.assessment('2024-08-01', { incatArms: 1, incatLegs: 1, sensorySumScore: 8, globalStatus: 'improved' });
    const model = await modelOf(story);

    // (33 − 30) / 30 = +10%
    expect(observations(model, 'MCV_ULNAR_LEFT').map((row) => [row.value, row.unit, row.percent_change])).toEqual([
      [30, 'm/s', null],
      [33, 'm/s', 10],
    ]);
    expect(observations(model, 'DML_ULNAR_LEFT').map((row) => [row.value, row.unit])).toEqual([
      [7.2, 'ms'],
      [6.5, 'ms'],
    ]);
    // INCAT total = arms + legs: 3, then 2
    expect(observations(model, 'INCAT_TOTAL').map((row) => [row.value, row.change])).toEqual([
      [3, null],
      [2, -1],
    ]);
    expect(observations(model, 'INCAT_LEGS').map((row) => [row.value, row.change])).toEqual([
      [2, null],
      [1, -1],
    ]);
    expect(observations(model, 'SENSORY_SUM').map((row) => [row.value, row.change])).toEqual([
      [10, null],
      [8, -2],
    ]);
    expect(observations(model, 'MRC_SUM').map((row) => row.value)).toEqual([55]);
    expect(observations(model, 'WALK_10M').map((row) => [row.value, row.unit])).toEqual([[9.5, 's']]);
    expect(model.rowsOf(ANALYSIS_TABLES.statuses)).toEqual([
      expect.objectContaining({
        patient_id: 'ZH01-001',
        date: '2024-08-01',
        cycle: 1,
        dose_level: 375,
        status: 'improved',
      }),
    ]);
    expect(namedVisits(model, model.rowsOf(ANALYSIS_TABLES.statuses))).toEqual(['month-6']);
  });

  it('applies a correction to the value and everything derived from it, and drops a voided entry', async () => {
    const story = treatedPatient();
    const typo = story.lab('2024-05-02', 'IGM', 60);
    story.correctLab(typo, '2024-05-02', 3);
    const wrongPatient = story.lab('2024-06-01', 'IGM', 1);
    story.void(wrongPatient);
    const rows = observations(await modelOf(story), 'IGM');

    // two values on 2024-05-02: the 6, then the corrected 3 recorded after it
    expect(rows.map((row) => row.value)).toEqual([15, 12, 6, 3, 9]);
    // the corrected 3 g/L is now the nadir: (3 − 12) / 12 = −75%
    expect(rows.find((row) => row.event_id === typo.eventId)).toMatchObject({ value: 3, percent_change: -75, is_nadir: true });
    expect(rows.filter((row) => row.is_nadir)).toHaveLength(1);
    expect(rows.some((row) => row.event_id === wrongPatient.eventId)).toBe(false);
  });

  it('moves baselines, visits and cycles when the first infusion is corrected to another day', async () => {
    const story = treatedPatient();
    const first = story.events.find((event) => event.type === 'InfusionGiven')!;
    story.correctInfusionDate(first, '2024-01-17');
    const model = await modelOf(story);
    const rows = observations(model, 'IGM');
    // the infusion now fell on 2024-01-17: the 15 g/L of the day before becomes the baseline, and months 3 and 6
    // (04-17 and 07-17, ± 14) now miss 05-02 and 08-01
    expect(rows.map((row) => [row.date, row.cycle, row.is_baseline])).toEqual([
      ['2024-01-16', 0, true],
      ['2024-02-01', 1, false],
      ['2024-05-02', 1, false],
      ['2024-08-01', 1, false],
    ]);
    expect(namedVisits(model, rows)).toEqual(['baseline', 'unscheduled', 'unscheduled', 'unscheduled']);
    expect(rows[3]).toMatchObject({ baseline_value: 15, change: -6, percent_change: -40 });
  });

  it('records cycles and dose levels: a second cycle at 750 mg/m² and the observations that fall in it', async () => {
    const story = treatedPatient();
    story.infusion('2024-02-08', 1, 2);
    story.infusion('2024-02-15', 1, 3);
    story.infusion('2024-02-22', 1, 4);
    story.infusion('2024-07-01', 2, 1, 750);
    const model = await modelOf(story);
    expect(model.rowsOf(ANALYSIS_TABLES.patients)[0]).toMatchObject({
      first_infusion_on: '2024-02-01',
      cycles: 2,
      dose_levels: [375, 750],
    });
    const rows = observations(model, 'IGM');
    expect(rows.map((row, index) => [namedVisits(model, rows)[index], row.cycle, row.dose_level])).toEqual([
      ['unscheduled', 0, null],
      ['baseline', 0, null],
      ['month-3', 1, 375],
      ['month-6', 2, 750],
    ]);
    expect(model.rowsOf(ANALYSIS_TABLES.infusions).map((row) => [row.cycle, row.infusion_in_cycle, row.dose_level])).toContainEqual([
      2, 1, 750,
    ]);
  });

  it('lists adverse events with their treatment context, and a patient’s kit, withdrawal and code-break, never an arm', async () => {
    const story = treatedPatient();
    story.adverseEvent('2024-02-01', { term: 'Infusion-related reaction', grade: 2 });
    story.adverseEvent('2024-03-10', { term: 'Pneumonia', serious: true, grade: 3, relatedness: 'possible', outcome: 'recovered' });
    story.codeBreak('2024-03-11T08:00:00.000Z');
    story.add({ type: 'PatientWithdrawn', schemaVersion: 1, occurredAt: '2024-09-01', data: { reason: 'moved' } });
    const model = await modelOf(story);
    expect(
      model.rowsOf(ANALYSIS_TABLES.adverseEvents).map((row) => [row.date, row.cycle, row.term, row.serious, row.grade, row.outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['2024-02-01', 0, 'Infusion-related reaction', false, 2, null],
        ['2024-03-10', 1, 'Pneumonia', true, 3, 'recovered'],
      ]),
    );
    expect(model.rowsOf(ANALYSIS_TABLES.patients)).toEqual([
      {
        patient_id: 'ZH01-001',
        // the withdrawal, the patient's last event, is its eleventh
        stream_version: 11,
        site_id: 'ZH01',
        status: 'withdrawn',
        stratum: 'ZH01',
        kit_number: 'K-001',
        randomized_on: '2024-01-20',
        first_infusion_on: '2024-02-01',
        withdrawn_on: '2024-09-01',
        code_broken_on: '2024-03-11',
        cycles: 1,
        dose_levels: [375],
      },
    ]);
    expect(JSON.stringify(ANALYSIS_PROJECTION.tables)).not.toMatch(/"arm"/);
  });

  it('keeps, batch after batch, only the rows whose inputs did not move: one event per batch gives the rows of one batch', async () => {
    // every kind of change a series' rows follow: a new value, a value corrected, a count moved to another unit (another
    // series), a void, an infusion (the cycle of what follows, adverse events included), the first infusion moved (every baseline)
    const story = new PatientStory('ZH01', '001').randomized('K-001');
    story.lab('2024-01-16', 'IGM', 12);
    story.lab('2024-01-16', 'CD19', 150, 'cells/µL');
    const first = story.infusion('2024-02-01');
    story.neurography('2024-02-01', [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 30, distalMotorLatencyMs: 7.2 }]);
    story.assessment('2024-02-01', { incatArms: 1, incatLegs: 2, sensorySumScore: 10, globalStatus: 'stable' });
    const count = story.lab('2024-03-01', 'CD19', 20, 'cells/µL');
    story.lab('2024-03-01', 'IGM', 9);
    story.adverseEvent('2024-03-15');
    const typo = story.lab('2024-04-01', 'IGM', 70);
    story.correctLab(typo, '2024-04-01', 7);
    story.infusion('2024-08-01', 2, 1, 750);
    story.lab('2024-08-02', 'IGM', 5);
    story.correctLab(count, '2024-03-01', 4, '%');
    story.neurography('2024-08-02', [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 33, distalMotorLatencyMs: 6.5 }]);
    story.void(story.lab('2024-08-03', 'CD19', 2, 'cells/µL'));
    story.correctInfusionDate(first, '2024-01-10');
    story.assessment('2024-08-03', { incatArms: 1, incatLegs: 1, sensorySumScore: 8, globalStatus: 'improved' });
    // recorded late: the values of March and April fall in the second cycle, at its dose level, and nothing else moves
    story.infusion('2024-02-20', 2, 1, 750);

    // after every event, not only the last: a later change of every series would hide a row lost on the way
    const eventByEvent = new InMemoryReadModel(ANALYSIS_PROJECTION);
    let inOneBatch = eventByEvent;
    for (const [index, event] of story.events.entries()) {
      await eventByEvent.apply([event]);
      inOneBatch = new InMemoryReadModel(ANALYSIS_PROJECTION);
      await inOneBatch.apply(story.events.slice(0, index + 1));
      for (const table of Object.values(ANALYSIS_TABLES))
        expect({ index, table, rows: eventByEvent.rowsOf(table) }).toEqual({ index, table, rows: inOneBatch.rowsOf(table) });
    }
    // the first infusion moved before the first values: no baseline left, every value treated
    expect(observations(inOneBatch, 'CD19').map((row) => [row.value, row.unit, row.cycle])).toEqual([
      [150, 'cells/µL', 1],
      [4, '%', 2],
    ]);
    expect(observations(inOneBatch, 'IGM').map((row) => [row.date, row.value, row.is_baseline, row.cycle, row.dose_level])).toEqual([
      ['2024-01-16', 12, false, 1, 375],
      ['2024-03-01', 9, false, 2, 750],
      ['2024-04-01', 7, false, 2, 750],
      ['2024-08-02', 5, false, 2, 750],
    ]);
    expect(inOneBatch.rowsOf(ANALYSIS_TABLES.adverseEvents).map((row) => [row.date, row.cycle, row.dose_level])).toEqual([
      ['2024-03-15', 2, 750],
    ]);
  });

  it('yields the same rows for every interleaving of patients, in one batch or one batch per event', async () => {
    const stories = ['001', '002', '003', '004'].map((number, index) => {
      const story = treatedPatient(number, index % 2 ? 'ZH01' : 'BE02');
      const typo = story.lab('2024-05-03', 'IGM', 50 + index);
      story.correctLab(typo, '2024-05-03', 5 + index);
      story.adverseEvent('2024-02-02');
      return story;
    });
    const reference = await modelOf(...stories);
    for (let seed = 1; seed <= 20; seed++) {
      const model = new InMemoryReadModel(ANALYSIS_PROJECTION);
      for (const event of interleaved(
        stories.map((story) => story.events),
        seededRandom(seed),
      ))
        await model.apply([event]);
      for (const table of Object.values(ANALYSIS_TABLES)) {
        expect({ seed, table, rows: model.rowsOf(table) }).toEqual({ seed, table, rows: reference.rowsOf(table) });
      }
    }
  });
});

describe('the stored source', () => {
  it('derives the same rows from its entry rows in whatever order they are read', async () => {
    const story = treatedPatient();
    const typo = story.lab('2024-05-03', 'IGM', 50);
    story.correctLab(typo, '2024-05-03', 5);
    story.lab('2024-05-03', 'IGM', 7);
    const model = await modelOf(story);
    const [header] = model.rowsOf(ANALYSIS_TABLES.sources) as SourceHeaderRow[];
    const entries = model.rowsOf(ANALYSIS_TABLES.entries) as SourceEntryRow[];
    const source = sourceOfRows(header, entries);

    const conversions = ANTI_MAG_RITUXIMAB_PROTOCOL.unitConversions;
    const rows = patientRowsOf(sourceOfRows(header, [...entries].reverse()), conversions);

    expect(rows).toEqual(patientRowsOf(source, conversions));
    expect(rows.observations.filter((row) => row.date === '2024-05-03').map((row) => [row.value, row.entry_order])).toEqual([
      [5, 5],
      [7, 6],
    ]);
  });

  it('writes an event its own entry row, and a correction the row of the entry it corrects', async () => {
    const story = treatedPatient();
    const typo = story.lab('2024-05-03', 'IGM', 50);
    story.correctLab(typo, '2024-05-03', 5);
    const model = await modelOf(story);

    const entries = model.rowsOf(ANALYSIS_TABLES.entries) as SourceEntryRow[];
    // the clinical entries only: enrolment, randomization and the correction itself have none
    expect(entries.map((row) => row.type)).toEqual([
      'LabResulted',
      'LabResulted',
      'InfusionGiven',
      'LabResulted',
      'LabResulted',
      'LabResulted',
    ]);
    expect(entries.find((row) => row.event_id === typo.eventId)?.data).toMatchObject({ analyte: 'IGM', value: 5 });
    expect(model.rowsOf(ANALYSIS_TABLES.sources)).toEqual([
      expect.objectContaining({ patient_id: 'ZH01-001', stratum: expect.any(String), code_broken_on: null }),
    ]);
  });
});

describe('lab units from the protocol file', () => {
  const trial = new TrialStreams('anti-mag-sensory');
  const builtIn = ANTI_MAG_RITUXIMAB_PROTOCOL.unitConversions;
  /** A file whose IgM is reported in g/L or g/dL (× 10), and no longer in mg/dL. */
  const inGramsPerDecilitre: ProtocolDefinition = {
    ...ANTI_MAG_RITUXIMAB_PROTOCOL,
    id: 'anti-mag-sensory',
    unitConversions: { ...builtIn, IGM: { 'g/L': { factor: 1, unit: 'g/L' }, 'g/dL': { factor: 10, unit: 'g/L' } } },
  };
  const withoutGramsPerDecilitre: ProtocolDefinition = {
    ...inGramsPerDecilitre,
    unitConversions: { ...builtIn, IGM: { 'g/L': { factor: 1, unit: 'g/L' } } },
  };
  const patient = () => {
    const story = new PatientStory('S01', '001', trial).randomized();
    story.lab('2024-02-01', 'IGM', 1.2, 'g/dL');
    story.infusion('2024-02-01');
    story.lab('2024-05-02', 'IGM', 6, 'g/L');
    return story;
  };
  const igm = async (events: EventEnvelope[]) => {
    const model = new InMemoryReadModel(ANALYSIS_PROJECTION);
    for (const event of events) await model.apply([event]);
    return { model, rows: observations(model, 'IGM').map(({ date, value, unit, change }) => ({ date, value, unit, change })) };
  };

  it('derives a patient again by new conversions even from what an earlier derivation read of the same entries', () => {
    const source = patient().source();
    const [before, after] = [withoutGramsPerDecilitre, inGramsPerDecilitre].map(({ unitConversions }) => unitConversions);
    const readings = new EntryReadings();
    const values = (rows: PatientRows) => rows.observations.map(({ date, value, unit }) => [date, value, unit]);
    expect(values(patientRowsOf(source, before, readings))).toEqual([['2024-05-02', 6, 'g/L']]);
    expect(values(patientRowsOf(source, after, readings))).toEqual([
      ['2024-02-01', 12, 'g/L'],
      ['2024-05-02', 6, 'g/L'],
    ]);
    expect(patientRowsOf(source, after, readings)).toEqual(patientRowsOf(source, after));
  });

  it("converts by the units of the trial's protocol file: a unit the built-in table never knew", async () => {
    const { rows } = await igm([protocolVersion(trial, 1, inGramsPerDecilitre), ...patient().events]);
    expect(rows).toEqual([
      { date: '2024-02-01', value: 12, unit: 'g/L', change: null },
      { date: '2024-05-02', value: 6, unit: 'g/L', change: -6 },
    ]);
  });

  it('leaves a result out while no version of its trial converts its unit, and derives it when an amendment adds the unit', async () => {
    const story = patient();
    const before = await igm([protocolVersion(trial, 1, withoutGramsPerDecilitre), ...story.events]);
    expect(before.rows).toEqual([{ date: '2024-05-02', value: 6, unit: 'g/L', change: null }]);
    expect(before.model.rowsOf(ANALYSIS_TABLES.labUnits)).toEqual([
      expect.objectContaining({ trial: 'anti-mag-sensory', waiting: { 'IGM|g/dL': ['S01-001'] } }),
    ]);
    const amended = await igm([
      protocolVersion(trial, 1, withoutGramsPerDecilitre),
      ...story.events,
      protocolVersion(trial, 2, inGramsPerDecilitre),
    ]);
    expect(amended.rows.map((row) => row.value)).toEqual([12, 6]);
    expect(amended.model.rowsOf(ANALYSIS_TABLES.labUnits)).toEqual([expect.objectContaining({ waiting: {} })]);
  });

  it('puts the patient among those waiting for a unit when a correction moves a result to it', async () => {
    const story = new PatientStory('S01', '002', trial).randomized();
    const result = story.lab('2024-02-01', 'IGM', 12, 'g/L');
    story.correctLab(result, '2024-02-03', 1.2, 'g/dL');
    const { model, rows } = await igm([protocolVersion(trial, 1, withoutGramsPerDecilitre), ...story.events]);
    expect(rows).toEqual([]);
    expect(model.rowsOf(ANALYSIS_TABLES.labUnits)).toEqual([
      expect.objectContaining({ trial: 'anti-mag-sensory', waiting: { 'IGM|g/dL': ['S01-002'] } }),
    ]);
    const amended = await igm([
      protocolVersion(trial, 1, withoutGramsPerDecilitre),
      ...story.events,
      protocolVersion(trial, 2, inGramsPerDecilitre),
    ]);
    expect(amended.rows).toEqual([{ date: '2024-02-03', value: 12, unit: 'g/L', change: null }]);
  });

  it('drops the row of a result an amendment derived once a later batch voids it, as one batch over the same events does', async () => {
    const story = patient();
    const waiting = story.events.find((event) => event.type === 'LabResulted')!;
    const before = story.events.length;
    story.void(waiting);
    const events = [
      protocolVersion(trial, 1, withoutGramsPerDecilitre),
      ...story.events.slice(0, before),
      protocolVersion(trial, 2, inGramsPerDecilitre),
      ...story.events.slice(before),
    ];
    // one event per batch: each batch goes on from what the one before carried over
    const { model, rows } = await igm(events);
    expect(rows).toEqual([{ date: '2024-05-02', value: 6, unit: 'g/L', change: null }]);
    const inOneBatch = new InMemoryReadModel(ANALYSIS_PROJECTION);
    await inOneBatch.apply(events);
    for (const table of Object.values(ANALYSIS_TABLES))
      expect({ table, rows: model.rowsOf(table) }).toEqual({ table, rows: inOneBatch.rowsOf(table) });
  });

  it("gives the same rows whether the trial's version or the patient's results arrive first (streams are not ordered)", async () => {
    const story = patient();
    const versions = [protocolVersion(trial, 1, withoutGramsPerDecilitre), protocolVersion(trial, 2, inGramsPerDecilitre)];
    const reference = (await igm([...versions, ...story.events])).model;
    for (let seed = 1; seed <= 10; seed++) {
      const { model } = await igm(interleaved([versions, story.events], seededRandom(seed)));
      for (const table of Object.values(ANALYSIS_TABLES)) {
        expect({ seed, table, rows: model.rowsOf(table) }).toEqual({ seed, table, rows: reference.rowsOf(table) });
      }
    }
  });

  it('reads the default trial (names without a trial id) by the built-in first protocol until it logs a version', async () => {
    const story = new PatientStory('S01', '001').randomized();
    story.lab('2024-02-01', 'IGM', 1200, 'mg/dL');
    expect((await igm(story.events)).rows).toEqual([{ date: '2024-02-01', value: 12, unit: 'g/L', change: null }]);
    const scoped = new PatientStory('S01', '001', trial).randomized();
    scoped.lab('2024-02-01', 'IGM', 1200, 'mg/dL');
    expect((await igm(scoped.events)).rows).toEqual([]);
  });
});

describe('the visit a read names a stored date by', () => {
  const record = (firstInfusionDate: string | undefined, date: string): StoredPatientRecord => ({
    patientId: 'ZH01-001',
    siteId: 'ZH01',
    status: 'randomized',
    kitNumber: 'K-001',
    randomizedOn: '2024-01-20',
    ...(firstInfusionDate === undefined ? {} : { firstInfusionDate }),
    codeBroken: false,
    cycles: 1,
    doseLevels: [375],
    series: { IGM: [{ date, cycle: 0, value: 1, qualifier: '=' }] },
    globalStatus: [],
    infusions: [],
    adverseEvents: [],
  });

  // the built-in first protocol: baseline the 14 days up to the first infusion, follow-ups every 91 days ± 14;
  // a date outside every window is unscheduled, never a visit of its own
  it.each([
    ['2024-01-01', undefined, 'unscheduled'],
    ['2024-01-17', '2024-02-01', 'unscheduled'],
    ['2024-01-18', '2024-02-01', 'baseline'],
    ['2024-02-01', '2024-02-01', 'baseline'],
    ['2024-02-02', '2024-02-01', 'unscheduled'],
    // month 3 is day 91 ± 14
    ['2024-04-18', '2024-02-01', 'month-3'],
    ['2024-04-17', '2024-02-01', 'unscheduled'],
    ['2024-05-16', '2024-02-01', 'month-3'],
    ['2024-05-17', '2024-02-01', 'unscheduled'],
    ['2025-01-30', '2024-02-01', 'month-12'],
  ])('names %s (first infusion %s) %s', (date, first, visit) => {
    expect(withVisitsNamed(record(first, date), ANTI_MAG_RITUXIMAB_PROTOCOL.schedule).series.IGM?.[0].visit).toBe(visit);
  });

  it('counts a visit the protocol anchors at randomization from the stored randomization date', () => {
    const schedule = {
      ...ANTI_MAG_RITUXIMAB_PROTOCOL.schedule,
      assessmentVisits: [
        ...ANTI_MAG_RITUXIMAB_PROTOCOL.schedule.assessmentVisits,
        {
          visitId: 'week-1',
          label: 'Week 1',
          anchor: 'randomization' as const,
          daysAfterAnchor: 7,
          window: { daysBefore: 2, daysAfter: 2 },
          forms: [],
        },
      ],
    };
    // randomized 2024-01-20: week 1 is 01-27 ± 2, weeks before the baseline window of a first infusion on 03-01
    expect(withVisitsNamed(record('2024-03-01', '2024-01-29'), schedule).series.IGM?.[0].visit).toBe('week-1');
    expect(withVisitsNamed(record(undefined, '2024-01-26'), schedule).series.IGM?.[0].visit).toBe('week-1');
  });
});
