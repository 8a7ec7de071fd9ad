import { GlobalStatus, Observation, ParameterCode, Qualifier } from '@trialstream/domain';
import { compareArms, orderArms } from './arm-comparison';
import { patientEndpoints } from './patient-endpoints';
import { PatientRecord } from './patient-record';
import { summarizeSafety } from './safety';
import { summarizeEndpoints } from './summaries';

const FIRST_INFUSION = '2024-02-01';
const VISIT_DATES: Record<string, string> = { baseline: '2024-02-01', 'month-3': '2024-05-02', 'month-6': '2024-08-01' };

/** `[visit, value, qualifier?]` per parameter; cycle 1 at 375 mg/m² after the first infusion. */
type Series = Partial<Record<ParameterCode, Array<[string, number, Qualifier?]>>>;

const observation = ([visit, value, qualifier = '=']: [string, number, Qualifier?]): Observation => {
  const date = VISIT_DATES[visit];
  return { date, visit, value, qualifier, ...(date > FIRST_INFUSION ? { cycle: 1, doseLevelMgPerM2: 375 } : { cycle: 0 }) };
};

const aPatient = (patientId: string, series: Series, statuses: Array<[string, GlobalStatus]> = []): PatientRecord => ({
  patientId,
  siteId: 'ZH01',
  status: 'randomized',
  kitNumber: null,
  firstInfusionDate: FIRST_INFUSION,
  codeBroken: false,
  cycles: 1,
  doseLevels: [375],
  series: Object.fromEntries(Object.entries(series).map(([parameter, list]) => [parameter, list!.map(observation)])),
  globalStatus: statuses.map(([visit, status]) => ({ date: VISIT_DATES[visit], visit, cycle: 1, status })),
  infusions: [{ date: FIRST_INFUSION, cycle: 1, doseLevelMgPerM2: 375 }],
  adverseEvents: [],
});

const responder = aPatient(
  'ZH01-001',
  {
    IGM: [
      ['baseline', 10],
      ['month-3', 5],
      ['month-6', 7],
    ],
    ANTI_MAG: [
      ['baseline', 50000, '>'],
      ['month-3', 20000],
      ['month-6', 20000],
    ],
    CD19: [
      ['baseline', 180],
      ['month-3', 5, '<'],
    ],
    MCV_ULNAR_LEFT: [
      ['baseline', 30],
      ['month-6', 33],
    ],
    MCV_ULNAR_RIGHT: [
      ['baseline', 40],
      ['month-6', 36],
    ],
    INCAT_TOTAL: [
      ['baseline', 3],
      ['month-3', 3],
      ['month-6', 2],
    ],
    INCAT_LEGS: [
      ['baseline', 2],
      ['month-6', 2],
    ],
    SENSORY_SUM: [
      ['baseline', 10],
      ['month-6', 7],
    ],
  },
  [
    ['month-3', 'stable'],
    ['month-6', 'improved'],
  ],
);
const worsening = aPatient(
  'ZH01-002',
  {
    IGM: [
      ['baseline', 8],
      ['month-3', 8],
      ['month-6', 10],
    ],
    CD19: [
      ['baseline', 200],
      ['month-3', 190],
    ],
    MCV_ULNAR_LEFT: [
      ['baseline', 40],
      ['month-6', 40],
    ],
    INCAT_TOTAL: [
      ['baseline', 2],
      ['month-3', 3],
      ['month-6', 3],
    ],
    INCAT_LEGS: [
      ['baseline', 1],
      ['month-6', 2],
    ],
    SENSORY_SUM: [
      ['baseline', 8],
      ['month-6', 9],
    ],
  },
  [
    ['month-3', 'worsened'],
    ['month-6', 'worsened'],
  ],
);

describe('patient endpoints', () => {
  it('reads IgM at baseline, nadir and latest with percent change and percent of baseline', () => {
    // nadir 5: (5 − 10) / 10 = −50%, 50% of baseline; latest 7: −30%, 70%
    expect(patientEndpoints(responder, { includeBCells: false }).igm).toEqual({
      baseline: { date: '2024-02-01', visit: 'baseline', value: 10, qualifier: '=' },
      nadir: { date: '2024-05-02', visit: 'month-3', value: 5, qualifier: '=' },
      latest: { date: '2024-08-01', visit: 'month-6', value: 7, qualifier: '=' },
      nadirPercentChange: -50,
      nadirPercentOfBaseline: 50,
      latestPercentChange: -30,
      latestPercentOfBaseline: 70,
      censored: false,
    });
  });

  it('reports a change from a censored baseline as censored, without numbers', () => {
    const antiMag = patientEndpoints(responder, { includeBCells: false }).antiMag;
    expect(antiMag).toMatchObject({ censored: true, baseline: { value: 50000, qualifier: '>' } });
    expect(antiMag.latestPercentChange).toBeUndefined();
  });

  it('reads the follow-up at a named visit when asked', () => {
    // at month 3: 5 / 10 → −50%; INCAT 3 → 3, no response
    const atMonth3 = patientEndpoints(responder, { includeBCells: false, visit: 'month-3' });
    expect(atMonth3.igm.latestPercentChange).toBe(-50);
    expect(atMonth3.incat).toMatchObject({ evaluable: true, responder: false, change: 0 });
    expect(atMonth3.ulnar.evaluable).toBe(false);
  });

  it('gives B-cell depletion only to readers allowed to see masked analytes', () => {
    expect(patientEndpoints(responder, { includeBCells: false })).not.toHaveProperty('bCellDepleted');
    expect(patientEndpoints(responder, { includeBCells: true }).bCellDepleted).toBe(true);
    expect(patientEndpoints(worsening, { includeBCells: true }).bCellDepleted).toBe(false);
  });

  it('finds ulnar responders and worseners per nerve, and INCAT responders on the total and the legs', () => {
    const endpoints = patientEndpoints(responder, { includeBCells: false });
    // left 30 → 33 is +10%: responder; right 40 → 36 is −10%: also a worsener
    expect(endpoints.ulnar).toMatchObject({ evaluable: true, responder: true, worsener: true });
    // INCAT 3 → 2 (responder), legs 2 → 2 (not), sensory 10 → 7
    expect(endpoints.incat).toMatchObject({ evaluable: true, responder: true, legResponder: false, change: -1, sensorySumChange: -3 });
    expect(endpoints.globalStatus).toEqual({ date: '2024-08-01', visit: 'month-6', status: 'improved' });
  });

  it('shows the re-treatment signals, which came first and by how many days', () => {
    // IgM 5 → 7 is +40% from the nadir at month 6
    expect(patientEndpoints(responder, { includeBCells: false }).retreatment).toEqual({
      signals: [{ kind: 'igmRise', date: '2024-08-01', visit: 'month-6', daysAfterFirst: 0, value: 7, nadir: 5, riseFraction: 0.4 }],
      first: ['igmRise'],
      firstDate: '2024-08-01',
    });
    // INCAT +1 and "worsened" at month 3; IgM 8 → 10 (+25%) at month 6, 91 days later
    expect(patientEndpoints(worsening, { includeBCells: false }).retreatment).toEqual({
      signals: [
        { kind: 'clinicalWorsening', date: '2024-05-02', visit: 'month-3', daysAfterFirst: 0, reasons: ['incat', 'globalStatus'] },
        { kind: 'igmRise', date: '2024-08-01', visit: 'month-6', daysAfterFirst: 91, value: 10, nadir: 8, riseFraction: 0.25 },
      ],
      first: ['clinicalWorsening'],
      firstDate: '2024-05-02',
    });
  });
});

describe('summaries', () => {
  const patients = [responder, worsening];
  const endpoints = (includeBCells: boolean) => patients.map((patient) => patientEndpoints(patient, { includeBCells }));

  it('summarises across patients with median and range, counts responders and status per visit', () => {
    const summary = summarizeEndpoints(patients, endpoints(false), { includeBCells: false });
    // latest IgM: −30% and +25% → median −2.5
    expect(summary.igm.latestPercentChange).toMatchObject({ n: 2, median: -2.5, min: -30, max: 25 });
    expect(summary.antiMag).toMatchObject({ evaluable: 1, censored: 1, latestPercentChange: { n: 0, nMissing: 1 } });
    expect(summary.ulnar).toEqual({ evaluable: 2, responders: 1, worseners: 1 });
    expect(summary.incat).toMatchObject({
      evaluable: 2,
      responders: 1,
      legResponders: 0,
      sensorySumChange: { median: -1, min: -3, max: 1 },
    });
    expect(summary.clinicalStatus).toEqual([
      { visit: 'month-3', improved: 0, stable: 1, worsened: 1, notAssessed: 0 },
      { visit: 'month-6', improved: 1, stable: 0, worsened: 1, notAssessed: 0 },
    ]);
    expect(summary.retreatment).toEqual({ patientsWithSignal: 2, firstSignal: { igmRise: 1, antiMagRise: 0, clinicalWorsening: 1 } });
    expect(summary.byCycle.IGM).toEqual([
      expect.objectContaining({ group: 1, patients: 2, percentChange: expect.objectContaining({ median: -2.5 }) }),
    ]);
    expect(summary.byDoseLevel.IGM.map((group) => group.group)).toEqual([375]);
  });

  it('leaves B-cell depletion out of the pooled summary unless masked analytes may be seen', () => {
    expect(summarizeEndpoints(patients, endpoints(false), { includeBCells: false })).not.toHaveProperty('bCellDepletion');
    expect(summarizeEndpoints(patients, endpoints(true), { includeBCells: true }).bCellDepletion).toEqual({ evaluable: 2, depleted: 1 });
  });
});

describe('comparing arms', () => {
  it('puts the active arm first', () => {
    expect(orderArms(['placebo', 'rituximab'])).toEqual(['rituximab', 'placebo']);
    expect(orderArms(['low', 'placebo'])).toEqual(['placebo', 'low']);
  });

  it('compares responder proportions by Fisher and gives no interval for an arm of one', () => {
    const comparison = compareArms('rituximab', [patientEndpoints(responder, { includeBCells: true })], 'placebo', [
      patientEndpoints(worsening, { includeBCells: true }),
    ]);
    // ulnar 1/1 vs 0/1: the only two tables with these margins are equally likely, p = 1
    expect(comparison.ulnarResponders).toMatchObject({ respondersA: 1, nA: 1, respondersB: 0, nB: 1, p: 1 });
    expect(comparison.bCellDepletion).toMatchObject({ respondersA: 1, nA: 1, respondersB: 0, nB: 1 });
    expect(comparison.igmLatestPercentChange).toBeNull();
  });
});

describe('safety', () => {
  it('counts events and patients by seriousness, grade, relatedness and term', () => {
    const withEvents = (patient: PatientRecord, events: PatientRecord['adverseEvents']): PatientRecord => ({
      ...patient,
      adverseEvents: events,
    });
    const ae = (term: string, grade: number, serious = false, relatedness = 'probable') => ({
      date: '2024-02-01',
      term,
      grade,
      serious,
      relatedness,
      cycle: 1,
    });
    const summary = summarizeSafety([
      withEvents(responder, [ae('Infusion-related reaction', 2), ae('Pneumonia', 3, true, 'unlikely')]),
      withEvents(worsening, [ae('Infusion-related reaction', 1)]),
    ]);
    expect(summary).toEqual({
      patients: 2,
      patientsWithEvents: 2,
      events: 3,
      serious: 1,
      patientsWithSeriousEvents: 1,
      related: 2,
      byGrade: { 1: 1, 2: 1, 3: 1, 4: 0, 5: 0 },
      byTerm: [
        { term: 'Infusion-related reaction', events: 2, patients: 2 },
        { term: 'Pneumonia', events: 1, patients: 1 },
      ],
    });
  });
});
