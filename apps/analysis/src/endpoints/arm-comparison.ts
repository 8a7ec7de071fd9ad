import { compareProportions, DEFAULT_ARMS, MeanDifferenceInterval, meanDifferenceCI, ProportionComparison } from '@trialstream/domain';
import { PatientEndpoints } from './patient-endpoints';

export interface ProportionView extends ProportionComparison {
  respondersA: number;
  nA: number;
  respondersB: number;
  nB: number;
}

/** Arm A against arm B: differences are A − B. */
export interface ArmComparison {
  armA: string;
  armB: string;
  ulnarResponders: ProportionView;
  ulnarWorseners: ProportionView;
  incatResponders: ProportionView;
  incatLegResponders: ProportionView;
  bCellDepletion: ProportionView;
  /** Welch 95% intervals; null when an arm has fewer than two values. */
  igmLatestPercentChange: MeanDifferenceInterval | null;
  antiMagLatestPercentChange: MeanDifferenceInterval | null;
  incatChange: MeanDifferenceInterval | null;
  sensorySumChange: MeanDifferenceInterval | null;
}

/** The protocol's arms first, in their usual order (active before placebo), then any other arm of the list. */
export const orderArms = (arms: readonly string[]): string[] => {
  const known = DEFAULT_ARMS.filter((arm) => arms.includes(arm));
  return [...known, ...arms.filter((arm) => !(DEFAULT_ARMS as readonly string[]).includes(arm))];
};

const proportion = (
  a: readonly PatientEndpoints[],
  b: readonly PatientEndpoints[],
  evaluable: (endpoint: PatientEndpoints) => boolean,
  outcome: (endpoint: PatientEndpoints) => boolean,
): ProportionView => {
  const inA = a.filter(evaluable);
  const inB = b.filter(evaluable);
  const respondersA = inA.filter(outcome).length;
  const respondersB = inB.filter(outcome).length;
  return {
    respondersA,
    nA: inA.length,
    respondersB,
    nB: inB.length,
    ...compareProportions(respondersA, inA.length, respondersB, inB.length),
  };
};

const meanDifference = (
  a: readonly PatientEndpoints[],
  b: readonly PatientEndpoints[],
  value: (endpoint: PatientEndpoints) => number | undefined,
): MeanDifferenceInterval | null => {
  const valuesA = a.map(value).filter((v): v is number => v !== undefined);
  const valuesB = b.map(value).filter((v): v is number => v !== undefined);
  return valuesA.length < 2 || valuesB.length < 2 ? null : meanDifferenceCI(valuesA, valuesB);
};

/** Responder proportions by Fisher's exact test and mean differences with Welch 95% intervals. */
export const compareArms = (armA: string, a: readonly PatientEndpoints[], armB: string, b: readonly PatientEndpoints[]): ArmComparison => ({
  armA,
  armB,
  ulnarResponders: proportion(
    a,
    b,
    (e) => e.ulnar.evaluable,
    (e) => e.ulnar.responder,
  ),
  ulnarWorseners: proportion(
    a,
    b,
    (e) => e.ulnar.evaluable,
    (e) => e.ulnar.worsener,
  ),
  incatResponders: proportion(
    a,
    b,
    (e) => e.incat.evaluable,
    (e) => e.incat.responder,
  ),
  incatLegResponders: proportion(
    a,
    b,
    (e) => e.incat.evaluable,
    (e) => e.incat.legResponder,
  ),
  bCellDepletion: proportion(
    a,
    b,
    (e) => e.bCellDepleted !== undefined && e.firstInfusionDate !== undefined,
    (e) => e.bCellDepleted === true,
  ),
  igmLatestPercentChange: meanDifference(a, b, (e) => e.igm.latestPercentChange),
  antiMagLatestPercentChange: meanDifference(a, b, (e) => e.antiMag.latestPercentChange),
  incatChange: meanDifference(a, b, (e) => e.incat.change),
  sensorySumChange: meanDifference(a, b, (e) => e.incat.sensorySumChange),
});
