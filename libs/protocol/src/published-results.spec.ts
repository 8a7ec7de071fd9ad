/**
 * The published figures of the first protocol family, reproduced from the protocol files: each
 * endpoint at its declared visit, observations assigned by the files' windows.
 */
import {
  EndpointSubject,
  evaluateEndpoint,
  evaluateEndpointByArm,
  InfusionDay,
  Observation,
  ProtocolDefinition,
  StatusAssessment,
} from '@trialstream/domain';
import { loadProtocolFile, seedProtocolPath } from '.';

const load = (path: string): ProtocolDefinition => {
  const result = loadProtocolFile(path);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
};
const DAY = 86_400_000;
const day = (first: string, n: number) => new Date(Date.parse(`${first}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const obs = (first: string, n: number, value: number, qualifier: Observation['qualifier'] = '='): Observation => ({
  date: day(first, n),
  visit: '',
  cycle: n > 0 ? 1 : 0,
  value,
  qualifier,
});
const endpoint = (protocol: ProtocolDefinition, name: string) => protocol.endpoints.find((e) => e.name === name)!;

describe('the placebo-controlled trial (26 patients, 13 per arm)', () => {
  const protocol = load(seedProtocolPath('placebo'));
  // INCAT leg score per patient: baseline (day −3), then [day, score] follow-ups
  const plan: Array<{ arm: 'rituximab' | 'placebo'; legs: Array<[number, number]> }> = [
    // four rituximab responders at month 8 (day 240 ± 14)
    {
      arm: 'rituximab',
      legs: [
        [-3, 3],
        [240, 2],
      ],
    },
    {
      arm: 'rituximab',
      legs: [
        [-3, 2],
        [233, 1],
      ],
    },
    {
      arm: 'rituximab',
      legs: [
        [-3, 4],
        [250, 2],
      ],
    },
    // two month-8 assessments: day 245 (5 days off target) counts, not the later day 252
    {
      arm: 'rituximab',
      legs: [
        [-3, 3],
        [245, 2],
        [252, 3],
      ],
    },
    // improved only after month 8 (day 300, unscheduled): "latest" would call it a responder, the protocol does not
    {
      arm: 'rituximab',
      legs: [
        [-3, 3],
        [240, 3],
        [300, 1],
      ],
    },
    ...Array.from({ length: 8 }, () => ({
      arm: 'rituximab' as const,
      legs: [
        [-3, 2],
        [240, 2],
      ] as Array<[number, number]>,
    })),
    // improved at month 6 only
    {
      arm: 'placebo',
      legs: [
        [-3, 3],
        [180, 2],
        [240, 3],
      ],
    },
    // no month-8 assessment (day 270 is outside 226..254): a non-responder by the missing-data rule
    {
      arm: 'placebo',
      legs: [
        [-3, 3],
        [270, 2],
      ],
    },
    ...Array.from({ length: 11 }, () => ({
      arm: 'placebo' as const,
      legs: [
        [-3, 2],
        [238, 2],
      ] as Array<[number, number]>,
    })),
  ];
  const subjects: EndpointSubject[] = plan.map((patient, index) => {
    const first = day('2026-01-05', index * 3);
    return {
      subjectId: `P${index + 1}`,
      arm: patient.arm,
      firstInfusionDate: first,
      series: { INCAT_LEGS: patient.legs.map(([n, score]) => obs(first, n, score)) },
      globalStatus: [],
    };
  });

  it('reads the primary endpoint at month 8 by default: 4/13 vs 0/13, Fisher two-sided p = 0.096', () => {
    const primary = protocol.endpoints.find((e) => e.primary)!;
    const result = evaluateEndpointByArm(primary, protocol.schedule, subjects, ['rituximab', 'placebo']);
    expect(result.visit).toBe('month-8');
    expect(result.arms.rituximab).toMatchObject({ population: 13, evaluable: 13, responders: 4 });
    expect(result.arms.placebo).toMatchObject({ population: 13, evaluable: 13, responders: 0 });
    expect(result.comparison?.test).toBe('fisher-exact');
    expect(result.comparison?.result).toMatchObject({ proportionA: 4 / 13, proportionB: 0 });
    expect((result.comparison?.result as { p: number }).p).toBeCloseTo(0.0957, 4);
    expect(Number((result.comparison?.result as { p: number }).p.toFixed(3))).toBe(0.096);
  });

  it('reads the same endpoint at another named visit when asked', () => {
    const atMonth6 = evaluateEndpointByArm(
      endpoint(protocol, 'incat-leg-responders'),
      protocol.schedule,
      subjects,
      ['rituximab', 'placebo'],
      'month-6',
    );
    expect(atMonth6.arms.placebo.responders).toBe(1);
    expect(atMonth6.arms.rituximab.responders).toBe(0);
  });

  it('counts pooled responders without arms while blinded', () => {
    const pooled = evaluateEndpoint(
      endpoint(protocol, 'incat-leg-responders'),
      protocol.schedule,
      subjects.map(({ arm: _arm, ...rest }) => rest),
    );
    expect(pooled).toMatchObject({ population: 26, evaluable: 26, responders: 4, visit: 'month-8', primary: true });
  });
});

describe('the open-label pilot (9 patients at 375 mg/m², 7 re-treated at 750 mg/m²)', () => {
  const protocol = load(seedProtocolPath('pilot'));
  // anti-MAG titer (BTU) at baseline and month 12; patient 9 fell by 40 % only
  const titers: Array<[number, number]> = [
    [80_000, 20_000],
    [50_000, 12_000],
    [120_000, 30_000],
    [40_000, 15_000],
    [64_000, 8_000],
    [30_000, 14_000],
    [200_000, 52_000],
    [16_000, 4_000],
    [70_000, 42_000],
  ];
  // ulnar MCV left/right (m/s) at baseline and month 12
  const ulnar: Array<[[number, number], [number, number]]> = [
    [
      [30, 32],
      [33, 32],
    ],
    [
      [28, 30],
      [28, 30],
    ],
    [
      [35, 34],
      [35, 37.4],
    ],
    [
      [31, 30],
      [31, 30],
    ],
    [
      [29, 30],
      [29, 30],
    ],
    [
      [27, 28],
      [26, 28],
    ],
    [
      [33, 31],
      [33, 31],
    ],
    [
      [30, 30],
      [30, 30],
    ],
    [
      [32, 32],
      [32, 32],
    ],
  ];
  const globals = ['improved', 'improved', 'stable', 'improved', 'stable', 'worsened', 'stable', 'improved', 'stable'] as const;
  const subjects: EndpointSubject[] = titers.map(([baseline, month12], index) => {
    const first = day('2025-01-06', index * 7);
    const retreated = index < 7;
    const infusions: InfusionDay[] = [
      ...[0, 7, 14, 21].map((n) => ({ date: day(first, n), cycle: 1, doseLevelMgPerM2: 375 })),
      ...(retreated ? [200, 207, 214, 221].map((n) => ({ date: day(first, n), cycle: 2, doseLevelMgPerM2: 750 })) : []),
    ];
    const status: StatusAssessment = { date: day(first, 364), visit: '', cycle: retreated ? 2 : 1, status: globals[index] };
    return {
      subjectId: `PILOT-${index + 1}`,
      firstInfusionDate: first,
      infusions,
      series: {
        ANTI_MAG: [obs(first, -2, baseline), obs(first, 182, baseline * 0.6), obs(first, 364, month12)],
        IGM: [obs(first, -2, 10), obs(first, 364, 10 - index * 0.5)],
        CD20: [obs(first, -2, 150), obs(first, 91, 1, '<')],
        MCV_ULNAR_LEFT: [obs(first, -2, ulnar[index][0][0]), obs(first, 364, ulnar[index][1][0])],
        MCV_ULNAR_RIGHT: [obs(first, -2, ulnar[index][0][1]), obs(first, 364, ulnar[index][1][1])],
      },
      globalStatus: [status],
    };
  });

  it('counts titer responders (fell by more than 50 %): 8 of 9 at month 12', () => {
    expect(evaluateEndpoint(endpoint(protocol, 'titer-responders'), protocol.schedule, subjects)).toMatchObject({
      visit: 'month-12',
      evaluable: 9,
      responders: 8,
    });
  });

  it('shows B-cell depletion to every reader of an open-label trial: 9 of 9 at month 3', () => {
    expect(protocol.maskedAnalytes).toEqual([]);
    expect(evaluateEndpoint(endpoint(protocol, 'b-cell-depletion'), protocol.schedule, subjects)).toMatchObject({
      visit: 'month-3',
      evaluable: 9,
      responders: 9,
    });
  });

  it('counts ulnar responders (≥ 10 % in at least one ulnar nerve) and the global status at month 12', () => {
    // patient 1: left 30 -> 33 (+10 %); patient 3: right 34 -> 37.4 (+10 %); patient 6 slowed
    expect(evaluateEndpoint(endpoint(protocol, 'ulnar-responders'), protocol.schedule, subjects)).toMatchObject({
      evaluable: 9,
      responders: 2,
    });
    expect(evaluateEndpoint(endpoint(protocol, 'global-status'), protocol.schedule, subjects)).toMatchObject({
      evaluable: 9,
      responders: 4,
      statuses: { improved: 4, stable: 4, worsened: 1 },
    });
  });

  it('reports titer responders per dose level, each against the pre-treatment baseline', () => {
    const result = evaluateEndpoint(endpoint(protocol, 'titer-responders'), protocol.schedule, subjects);
    // at 375 mg/m²: the last titer before re-treatment is month 6 (−40 %) for the seven re-treated, month 12 for the other two
    expect(result.byDoseLevel).toEqual([
      expect.objectContaining({ doseLevelMgPerM2: 375, population: 9, evaluable: 9, responders: 1 }),
      expect.objectContaining({ doseLevelMgPerM2: 750, population: 7, evaluable: 7, responders: 7 }),
    ]);
  });

  it('summarises IgM percent change from the pre-treatment baseline at month 12', () => {
    const result = evaluateEndpoint(endpoint(protocol, 'igm-change'), protocol.schedule, subjects);
    // 10 -> 10 − 0.5 i: −0 %, −5 %, ..., −40 %; median −20 %
    expect(result.percentChange).toMatchObject({ n: 9, median: -20, min: -40, max: 0 });
  });
});

describe('a third trial of the family needs a file only', () => {
  const protocol = load(`${__dirname}/../../../protocols/anti-mag-rituximab-sensory-54.yaml`);

  it('reads its primary endpoint, the sensory sum change at month 12, with Welch’s mean difference', () => {
    const subjects: EndpointSubject[] = Array.from({ length: 54 }, (_, index) => {
      const first = day('2026-01-05', index);
      const arm = index % 2 === 0 ? 'rituximab' : 'placebo';
      // rituximab: −2 or −4 points; placebo: 0 or +1; a month-9 value never counts
      const change = arm === 'rituximab' ? (index % 4 === 0 ? -2 : -4) : index % 4 === 1 ? 0 : 1;
      return {
        subjectId: `S${index}`,
        arm,
        firstInfusionDate: first,
        series: { SENSORY_SUM: [obs(first, -1, 10), obs(first, 273, 0), obs(first, 370, 10 + change)] },
        globalStatus: [],
      };
    });
    const primary = protocol.endpoints.find((e) => e.primary)!;
    const result = evaluateEndpointByArm(primary, protocol.schedule, subjects, ['rituximab', 'placebo']);
    expect(result).toMatchObject({ endpoint: 'sensory-sum-change', visit: 'month-12', population: 54, evaluable: 54 });
    expect(result.arms.rituximab.change).toMatchObject({ n: 27, mean: (14 * -2 + 13 * -4) / 27 });
    expect(result.arms.placebo.change).toMatchObject({ n: 27, mean: 13 / 27 });
    expect(result.comparison).toMatchObject({ test: 'welch-mean-difference', result: { difference: (14 * -2 + 13 * -4) / 27 - 13 / 27 } });
  });
});
