/**
 * The dozen-patient trial the analysis suite builds through the API. Each patient's plan lists what
 * the sites submit; the arm is NOT sent anywhere: it is only what the imported allocation list says
 * about the kit the server will hand out, written here so the expected results can be worked out by
 * hand in the test.
 */
import type { GlobalStatus } from '@trialstream/domain';
import type { TestApp } from '../support/app';
import {
  adverseEventBody,
  assessmentBody,
  enrolmentBody,
  infusionBody,
  labBody,
  neurographyBody,
  randomizationBody,
  submission,
} from '../ingest/site-api';

/** The server's clock: every clinical date of the scenario lies in the past. */
export const NOW = new Date('2027-01-15T12:00:00Z');

/** The first infusion (pre-dose samples count as baseline) and the follow-ups 91 and 182 days later. */
export const BASELINE = '2026-03-09';
export const MONTH_3 = '2026-06-08';
export const MONTH_6 = '2026-09-07';

export const RITUXIMAB = 'rituximab';
export const PLACEBO = 'placebo';
type Arm = typeof RITUXIMAB | typeof PLACEBO;

/** Kits in list order per stratum (site); blocks of 4, 2 and 2, each balanced. */
export const ALLOCATION_CSV = [
  'kitNumber,stratum,blockNumber,arm',
  '1001,S01,1,rituximab',
  '1002,S01,1,placebo',
  '1003,S01,1,placebo',
  '1004,S01,1,rituximab',
  '1005,S01,2,placebo',
  '1006,S01,2,rituximab',
  '1007,S01,3,rituximab',
  '1008,S01,3,placebo',
  '2001,S02,1,placebo',
  '2002,S02,1,rituximab',
  '2003,S02,1,rituximab',
  '2004,S02,1,placebo',
  '2005,S02,2,rituximab',
  '2006,S02,2,placebo',
  '2007,S02,3,placebo',
  '2008,S02,3,rituximab',
].join('\n');

/** B-cell counts chosen to appear nowhere else, so a leak of one is found by its digits. */
export const B_CELL_VALUES = { rituximabBaseline: 163.7, placeboBaseline: 241.3, placeboMonth3: 236.9, cd20Baseline: 158.3 };

type Lab = [number, number, number];
type Incat = [arms: number, legs: number];

export interface PatientPlan {
  site: 'S01' | 'S02';
  number: string;
  /** What the list holds behind the kit this patient will get; never sent. */
  arm: Arm;
  /** Cycle 1 in full (4 infusions) and a cycle 2 at 750 mg/m² on 2026-07-06; otherwise one infusion. */
  secondCycle?: boolean;
  /** g/L at baseline, month 3, month 6 (baseline in mg/dL when igmBaselineMgDl). */
  igm: Lab;
  igmBaselineMgDl?: boolean;
  antiMag: Lab;
  antiMagBaselineAboveLimit?: boolean;
  ulnarLeft: [number, number];
  ulnarRight: [number, number];
  incat: [Incat, Incat, Incat];
  sensory: [number, number];
  global: [GlobalStatus, GlobalStatus];
  adverseEvents?: object[];
}

const P = (site: 'S01' | 'S02', number: string, arm: Arm, rest: Omit<PatientPlan, 'site' | 'number' | 'arm'>): PatientPlan => ({
  site,
  number,
  arm,
  ...rest,
});

export const PATIENTS: PatientPlan[] = [
  P('S01', '01', RITUXIMAB, {
    igm: [10, 5, 5.5],
    antiMag: [50000, 20000, 25000],
    ulnarLeft: [30, 33],
    ulnarRight: [32, 32],
    incat: [
      [1, 2],
      [1, 2],
      [1, 1],
    ],
    sensory: [10, 8],
    global: ['stable', 'improved'],
    adverseEvents: [{ occurredAt: BASELINE, term: 'Infusion-related reaction', grade: 2, relatedness: 'probable', serious: false }],
  }),
  P('S01', '02', PLACEBO, {
    igm: [8, 8, 8.8],
    antiMag: [30000, 30000, 33000],
    ulnarLeft: [35, 35],
    ulnarRight: [34, 33],
    incat: [
      [1, 2],
      [1, 2],
      [1, 2],
    ],
    sensory: [10, 11],
    global: ['stable', 'stable'],
  }),
  // month 3 IgM is first entered as 91, then corrected to 19
  P('S01', '03', PLACEBO, {
    igm: [20, 19, 18],
    antiMag: [10000, 9000, 9000],
    ulnarLeft: [40, 36],
    ulnarRight: [40, 40],
    incat: [
      [1, 1],
      [1, 2],
      [1, 2],
    ],
    sensory: [9, 10],
    global: ['worsened', 'worsened'],
  }),
  P('S01', '04', RITUXIMAB, {
    secondCycle: true,
    igm: [4, 2, 3],
    antiMag: [80000, 40000, 40000],
    ulnarLeft: [40, 44],
    ulnarRight: [40, 36],
    incat: [
      [2, 2],
      [1, 2],
      [1, 1],
    ],
    sensory: [12, 9],
    global: ['improved', 'improved'],
    adverseEvents: [
      { occurredAt: '2026-03-16', term: 'Infusion-related reaction', grade: 1, relatedness: 'probable', serious: false },
      { occurredAt: '2026-05-10', term: 'Pneumonia', grade: 3, relatedness: 'possible', serious: true, outcome: 'recovered' },
    ],
  }),
  // an IgM of 50 g/L on 2026-06-10 is entered and then voided
  P('S01', '05', PLACEBO, {
    igm: [5, 5.5, 6],
    antiMag: [20000, 22000, 24000],
    ulnarLeft: [30, 31],
    ulnarRight: [30, 29],
    incat: [
      [2, 2],
      [2, 2],
      [2, 2],
    ],
    sensory: [12, 12],
    global: ['stable', 'stable'],
  }),
  P('S01', '06', RITUXIMAB, {
    igm: [12, 6, 4.8],
    antiMag: [100000, 50000, 40000],
    antiMagBaselineAboveLimit: true,
    ulnarLeft: [35, 40],
    ulnarRight: [35, 35],
    incat: [
      [1, 3],
      [1, 3],
      [1, 3],
    ],
    sensory: [8, 8],
    global: ['stable', 'stable'],
  }),
  P('S02', '01', PLACEBO, {
    igm: [10, 10.5, 9],
    antiMag: [40000, 40000, 36000],
    ulnarLeft: [33, 37],
    ulnarRight: [33, 33],
    incat: [
      [0, 1],
      [0, 1],
      [0, 1],
    ],
    sensory: [6, 5],
    global: ['stable', 'stable'],
    adverseEvents: [{ occurredAt: '2026-03-20', term: 'Headache', grade: 1, relatedness: 'unlikely', serious: false }],
  }),
  P('S02', '02', RITUXIMAB, {
    igm: [16, 8, 12],
    antiMag: [60000, 30000, 24000],
    ulnarLeft: [28, 31],
    ulnarRight: [30, 30],
    incat: [
      [0, 2],
      [0, 2],
      [0, 1],
    ],
    sensory: [9, 6],
    global: ['stable', 'improved'],
  }),
  // baseline IgM reported as 2000 mg/dL (20 g/L)
  P('S02', '03', RITUXIMAB, {
    igm: [2000, 10, 9],
    igmBaselineMgDl: true,
    antiMag: [20000, 10000, 12000],
    ulnarLeft: [38, 38],
    ulnarRight: [36, 37],
    incat: [
      [2, 1],
      [2, 1],
      [1, 1],
    ],
    sensory: [11, 10],
    global: ['stable', 'improved'],
  }),
  P('S02', '04', PLACEBO, {
    secondCycle: true,
    igm: [6, 6, 6.6],
    antiMag: [15000, 15000, 16500],
    ulnarLeft: [36, 35],
    ulnarRight: [36, 36],
    incat: [
      [1, 2],
      [1, 2],
      [1, 3],
    ],
    sensory: [8, 10],
    global: ['stable', 'worsened'],
  }),
  P('S02', '05', RITUXIMAB, {
    igm: [10, 4, 5.2],
    antiMag: [50000, 25000, 20000],
    ulnarLeft: [30, 36],
    ulnarRight: [31, 31],
    incat: [
      [1, 1],
      [2, 1],
      [1, 1],
    ],
    sensory: [7, 7],
    global: ['worsened', 'stable'],
    adverseEvents: [{ occurredAt: BASELINE, term: 'Infusion-related reaction', grade: 2, relatedness: 'probable', serious: false }],
  }),
  P('S02', '06', PLACEBO, {
    igm: [9, 9.9, 9],
    antiMag: [25000, 25000, 25000],
    ulnarLeft: [42, 41],
    ulnarRight: [42, 42],
    incat: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    sensory: [10, 10],
    global: ['stable', 'stable'],
  }),
];

export const subjectOf = (plan: PatientPlan): string => `${plan.site}-${plan.number}`;

type Post = (path: string, body: object, token: string) => Promise<{ status: number; body: any }>;

/** Enrols, randomizes (the server picks the kit) and records the plan's data; returns the kit the site was told. */
export async function buildPatient(app: TestApp, coordinator: string, plan: PatientPlan): Promise<string> {
  const post: Post = async (path, body, token) => {
    const res = await app.http().post(path).set('Authorization', token).send(body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const subject = subjectOf(plan);
  await post(`/sites/${plan.site}/patients`, enrolmentBody(plan.number), coordinator);
  const { kitNumber: _none, ...withoutKit } = randomizationBody() as { kitNumber?: string };
  const randomized = await post(`/patients/${subject}/randomization`, withoutKit, coordinator);
  const at = (path: string, body: object) => post(`/patients/${subject}/${path}`, body, coordinator);

  await at('infusions', infusionBody({ occurredAt: BASELINE }));
  if (plan.secondCycle) {
    for (const day of ['2026-03-16', '2026-03-23', '2026-03-30']) await at('infusions', infusionBody({ occurredAt: day }));
    await at('infusions', infusionBody({ occurredAt: '2026-07-06', doseLevelMgPerM2: 750, administeredDoseMg: 1410 }));
  }

  const dates = [BASELINE, MONTH_3, MONTH_6];
  for (const [index, date] of dates.entries()) {
    const igmInMgDl = index === 0 && plan.igmBaselineMgDl;
    const igmValue = subject === 'S01-03' && index === 1 ? 91 : plan.igm[index];
    const igm = await at('labs', labBody({ occurredAt: date, analyte: 'IGM', value: igmValue, unit: igmInMgDl ? 'mg/dL' : 'g/L' }));
    if (subject === 'S01-03' && index === 1) {
      await at('corrections', {
        ...submission(),
        occurredAt: date,
        correctedEventId: igm.body.events[0].eventId,
        reason: 'Transcription error: 19 g/L on the lab report',
        data: { analyte: 'IGM', value: 19, unit: 'g/L', qualifier: '=' },
      });
    }
    const aboveLimit = index === 0 && plan.antiMagBaselineAboveLimit;
    await at(
      'labs',
      labBody({ occurredAt: date, analyte: 'ANTI_MAG', value: plan.antiMag[index], unit: 'BTU', qualifier: aboveLimit ? '>' : '=' }),
    );
  }
  if (subject === 'S01-05') {
    const wrong = await at('labs', labBody({ occurredAt: '2026-06-10', analyte: 'IGM', value: 50, unit: 'g/L' }));
    await at('voids', {
      ...submission(),
      occurredAt: '2026-06-11',
      voidedEventId: wrong.body.events[0].eventId,
      reason: 'Sample of another patient',
    });
  }

  // B cells: gone under rituximab (below the limit of detection at month 3), unchanged under placebo
  const onRituximab = plan.arm === RITUXIMAB;
  await at(
    'labs',
    labBody({
      occurredAt: BASELINE,
      analyte: 'CD19',
      unit: 'cells/µL',
      value: onRituximab ? B_CELL_VALUES.rituximabBaseline : B_CELL_VALUES.placeboBaseline,
    }),
  );
  await at(
    'labs',
    labBody({
      occurredAt: MONTH_3,
      analyte: 'CD19',
      unit: 'cells/µL',
      value: onRituximab ? 5 : B_CELL_VALUES.placeboMonth3,
      qualifier: onRituximab ? '<' : '=',
    }),
  );
  if (subject === 'S01-01') {
    await at('labs', labBody({ occurredAt: BASELINE, analyte: 'CD20', unit: 'cells/µL', value: B_CELL_VALUES.cd20Baseline }));
    await at('labs', labBody({ occurredAt: MONTH_3, analyte: 'CD20', unit: 'cells/µL', value: 5, qualifier: '<' }));
  }

  for (const [index, date] of [BASELINE, MONTH_6].entries()) {
    await at(
      'neurography',
      neurographyBody({
        occurredAt: date,
        nerves: [
          { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: plan.ulnarLeft[index] },
          { nerve: 'ulnar', side: 'right', motorConductionVelocityMs: plan.ulnarRight[index] },
        ],
      }),
    );
  }

  for (const [index, date] of dates.entries()) {
    const [incatArms, incatLegs] = plan.incat[index];
    await at(
      'assessments',
      assessmentBody({
        occurredAt: date,
        incatArms,
        incatLegs,
        sensorySumScore: index === 2 ? plan.sensory[1] : plan.sensory[0],
        globalStatus: index === 0 ? undefined : plan.global[index - 1],
      }),
    );
  }
  for (const event of plan.adverseEvents ?? []) await at('adverse-events', adverseEventBody(event));
  return randomized.body.kitNumber as string;
}
