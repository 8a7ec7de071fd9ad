import type { VisitSchedule } from '../monitoring/visit-schedule';
import type { EndpointDefinition, ResponderRule } from '../protocol';
import { baselineOf } from './baseline';
import { compareProportions, meanDifferenceCI, MeanDifferenceInterval, ProportionComparison } from './between-arms';
import { isDepletedCount } from './endpoints';
import { byDate, InfusionDay, Observation, ParameterCode, PatientSeries, StatusAssessment, treatmentContextAt } from './observations';
import { summarize, Summary } from './summary';
import {
  observationAtVisitBy,
  scheduleOn,
  visitAnchorsOf,
  visitOfDate,
  visitWindowsFor,
  type ScheduleInForce,
  type VisitAnchorDates,
  type VisitAnchorFacts,
  type VisitWindowDates,
} from './visit-assignment';

/** Below this, a difference from a threshold is floating-point noise (42.57 m/s after 38.7 is exactly +10 %). */
const NOISE = 1e-9;

/** One patient as a protocol endpoint reads it: visits count from the anchors the protocol names. */
export interface EndpointSubject extends PatientSeries, VisitAnchorFacts {
  /** Only after unblinding (or in an open-label trial). */
  arm?: string;
  infusions?: readonly InfusionDay[];
}

export interface SubjectEndpointValue {
  subjectId: string;
  arm?: string;
  /** In the denominator: a value at the visit, or none and the missing-data rule counts it as a non-responder. */
  evaluable: boolean;
  responder?: boolean;
  baseline?: number;
  value?: number;
  change?: number;
  percentChange?: number;
  /** Global status endpoints: the status at the visit. */
  status?: string;
}

export interface EndpointGroupResult {
  population: number;
  evaluable: number;
  responders?: number;
  proportion?: number;
  change: Summary;
  percentChange: Summary;
  /** Global status endpoints: improved / stable / worsened at the visit. */
  statuses?: Record<string, number>;
}

export interface EndpointResult extends EndpointGroupResult {
  endpoint: string;
  label: string;
  measure: EndpointDefinition['measure'];
  primary: boolean;
  visit: string;
  rule?: ResponderRule;
  byDoseLevel?: Array<{ doseLevelMgPerM2: number } & EndpointGroupResult>;
}

export interface ArmEndpointResult extends EndpointResult {
  arms: Record<string, EndpointGroupResult>;
  comparison:
    | null
    | { arms: [string, string]; test: 'fisher-exact'; result: ProportionComparison }
    | { arms: [string, string]; test: 'welch-mean-difference'; result: MeanDifferenceInterval };
}

/** Whether a change from baseline satisfies a responder rule. */
export const meetsResponderRule = (rule: ResponderRule, baseline: number, value: number): boolean | undefined => {
  const change = rule.scale === 'points' ? value - baseline : baseline > 0 ? ((value - baseline) / baseline) * 100 : undefined;
  if (change === undefined) return undefined;
  const amount = rule.direction === 'decrease' ? -change : change;
  return rule.strict ? amount > rule.by + NOISE : amount >= rule.by - NOISE;
};

const measured = (observation: Observation | undefined): number | undefined =>
  observation !== undefined && observation.qualifier === '=' ? observation.value : undefined;

/**
 * Observations named by the protocol's visits, counted from the patient's anchors, each by the windows
 * of the schedule in force on its date: the one place a date becomes a visit name.
 */
export const withProtocolVisits = <T extends { date: string }>(
  observations: readonly T[],
  schedule: ScheduleInForce,
  anchors: VisitAnchorDates,
): Array<T & { visit: string }> => {
  const windowsOf = windowsPerSchedule(anchors);
  return observations.map((observation) => ({
    ...observation,
    visit: visitOfDate(observation.date, windowsOf(scheduleOn(schedule, observation.date))),
  }));
};

/** The patient's visit windows by each schedule in force, computed once per schedule rather than per observation. */
const windowsPerSchedule = (anchors: VisitAnchorDates) => {
  const windows = new Map<Pick<VisitSchedule, 'assessmentVisits'>, VisitWindowDates[]>();
  return (schedule: Pick<VisitSchedule, 'assessmentVisits'>): VisitWindowDates[] => {
    let found = windows.get(schedule);
    if (!found) windows.set(schedule, (found = visitWindowsFor(schedule, anchors)));
    return found;
  };
};

/** The one observation of a series read at a named visit (see visit-assignment), each judged by the schedule in force on its date. */
export const valueAtVisit = <T extends { date: string }>(
  observations: readonly T[],
  schedule: ScheduleInForce,
  visit: string,
  anchors: VisitAnchorDates,
): T | undefined => {
  const windowsOf = windowsPerSchedule(anchors);
  return observationAtVisitBy(observations, (date) => windowsOf(scheduleOn(schedule, date)).find((window) => window.visit === visit));
};

type Reading = Omit<SubjectEndpointValue, 'subjectId' | 'arm' | 'evaluable'> | undefined;

const changeReading = (rule: ResponderRule | undefined, baseline: number | undefined, value: number | undefined): Reading => {
  if (baseline === undefined || value === undefined) return undefined;
  const change = value - baseline;
  return {
    baseline,
    value,
    change,
    percentChange: baseline > 0 ? (change / baseline) * 100 : undefined,
    responder: rule && meetsResponderRule(rule, baseline, value),
  };
};

/** Reads one patient's value of an endpoint from a chosen follow-up observation per series. */
const readSubject = (
  endpoint: EndpointDefinition,
  subject: EndpointSubject,
  pick: (series: readonly Observation[]) => Observation | undefined,
  pickStatus: (statuses: readonly StatusAssessment[]) => StatusAssessment | undefined,
): Reading => {
  const first = subject.firstInfusionDate as string;
  const seriesOf = (parameter: ParameterCode) => subject.series[parameter] ?? [];
  const baselineOfSeries = (parameter: ParameterCode) => measured(baselineOf(seriesOf(parameter), first));
  switch (endpoint.measure) {
    case 'B_CELL_DEPLETION': {
      const counts = [pick(seriesOf('CD19')), pick(seriesOf('CD20'))].filter((count): count is Observation => count !== undefined);
      return counts.length === 0 ? undefined : { responder: counts.some((count) => isDepletedCount(count)) };
    }
    case 'GLOBAL_STATUS': {
      const status = pickStatus(subject.globalStatus);
      return status && { status: status.status, responder: status.status === 'improved' };
    }
    case 'ULNAR_MCV': {
      const sides = (['MCV_ULNAR_LEFT', 'MCV_ULNAR_RIGHT'] as const).flatMap((parameter) => {
        const reading = changeReading(endpoint.responder, baselineOfSeries(parameter), measured(pick(seriesOf(parameter))));
        return reading && reading.baseline! > 0 ? [reading] : [];
      });
      if (sides.length === 0) return undefined;
      // "in at least one ulnar nerve": the side that changed most in the rule's direction
      const best = [...sides].sort(
        (a, b) => (b.percentChange! - a.percentChange!) * (endpoint.responder?.direction === 'decrease' ? -1 : 1),
      )[0];
      return { ...best, responder: endpoint.responder ? sides.some((side) => side.responder) : undefined };
    }
    default:
      return changeReading(endpoint.responder, baselineOfSeries(endpoint.measure), measured(pick(seriesOf(endpoint.measure))));
  }
};

const inPopulation = (endpoint: EndpointDefinition, subject: EndpointSubject): boolean =>
  endpoint.population === 'randomized' || subject.firstInfusionDate !== undefined;

const hasResponders = (endpoint: EndpointDefinition): boolean =>
  endpoint.responder !== undefined || endpoint.measure === 'B_CELL_DEPLETION' || endpoint.measure === 'GLOBAL_STATUS';

const counted = (endpoint: EndpointDefinition, subject: EndpointSubject, reading: Reading): SubjectEndpointValue => {
  const base = { subjectId: subject.subjectId, ...(subject.arm === undefined ? {} : { arm: subject.arm }), ...reading };
  const hasValue = reading !== undefined && (hasResponders(endpoint) ? reading.responder !== undefined : reading.change !== undefined);
  if (hasValue) return { ...base, evaluable: true };
  if (endpoint.missing === 'non-responder' && hasResponders(endpoint)) return { ...base, evaluable: true, responder: false };
  return { ...base, evaluable: false };
};

/** Each patient of the endpoint's population, read at a named visit of the schedule. */
export const endpointValuesAtVisit = (
  endpoint: EndpointDefinition,
  schedule: ScheduleInForce,
  subjects: readonly EndpointSubject[],
  visit: string = endpoint.visit,
): SubjectEndpointValue[] =>
  subjects
    .filter((subject) => inPopulation(endpoint, subject))
    .map((subject) => {
      if (subject.firstInfusionDate === undefined) return counted(endpoint, subject, undefined);
      const anchors = visitAnchorsOf(subject);
      const reading = readSubject(
        endpoint,
        subject,
        (series) => valueAtVisit(series, schedule, visit, anchors),
        (statuses) => valueAtVisit(statuses, schedule, visit, anchors),
      );
      return counted(endpoint, subject, reading);
    });

export const summarizeEndpointValues = (endpoint: EndpointDefinition, values: readonly SubjectEndpointValue[]): EndpointGroupResult => {
  const evaluable = values.filter((value) => value.evaluable);
  const responders = evaluable.filter((value) => value.responder).length;
  const statuses =
    endpoint.measure === 'GLOBAL_STATUS'
      ? evaluable.reduce<Record<string, number>>(
          (counts, value) => ({ ...counts, [value.status ?? 'notAssessed']: (counts[value.status ?? 'notAssessed'] ?? 0) + 1 }),
          {},
        )
      : undefined;
  return {
    population: values.length,
    evaluable: evaluable.length,
    ...(hasResponders(endpoint) ? { responders, proportion: evaluable.length > 0 ? responders / evaluable.length : undefined } : {}),
    change: summarize(evaluable.filter((value) => value.change !== undefined).map((value) => value.change)),
    percentChange: summarize(evaluable.filter((value) => value.percentChange !== undefined).map((value) => value.percentChange)),
    ...(statuses ? { statuses } : {}),
  };
};

/**
 * Per dose level (375 vs 750 mg/m²), each against the baseline before the first cycle: a patient's
 * last observation while that dose level was in effect.
 */
const byDoseLevel = (endpoint: EndpointDefinition, subjects: readonly EndpointSubject[]): EndpointResult['byDoseLevel'] => {
  const levels = [...new Set(subjects.flatMap((subject) => (subject.infusions ?? []).map((infusion) => infusion.doseLevelMgPerM2)))].sort(
    (a, b) => a - b,
  );
  return levels.map((level) => {
    const values = subjects
      .filter(
        (subject) =>
          subject.firstInfusionDate !== undefined && (subject.infusions ?? []).some((infusion) => infusion.doseLevelMgPerM2 === level),
      )
      .map((subject) => {
        const during = <T extends { date: string }>(items: readonly T[]): T | undefined =>
          byDate(items.filter((item) => treatmentContextAt(item.date, subject.infusions ?? []).doseLevelMgPerM2 === level)).pop();
        return counted(endpoint, subject, readSubject(endpoint, subject, during, during));
      });
    return { doseLevelMgPerM2: level, ...summarizeEndpointValues(endpoint, values) };
  });
};

/** A protocol endpoint over a group of patients (all of them while blinded), at its declared visit unless another is asked for. */
export const evaluateEndpoint = (
  endpoint: EndpointDefinition,
  schedule: ScheduleInForce,
  subjects: readonly EndpointSubject[],
  visit: string = endpoint.visit,
): EndpointResult => ({
  endpoint: endpoint.name,
  label: endpoint.label,
  measure: endpoint.measure,
  primary: endpoint.primary,
  visit,
  ...(endpoint.responder ? { rule: endpoint.responder } : {}),
  ...summarizeEndpointValues(endpoint, endpointValuesAtVisit(endpoint, schedule, subjects, visit)),
  ...(endpoint.byDoseLevel ? { byDoseLevel: byDoseLevel(endpoint, subjects) } : {}),
});

/** The same per arm, with the protocol's comparison test between the first two arms (after unblinding only: the caller decides). */
export const evaluateEndpointByArm = (
  endpoint: EndpointDefinition,
  schedule: ScheduleInForce,
  subjects: readonly EndpointSubject[],
  armOrder: readonly string[],
  visit: string = endpoint.visit,
): ArmEndpointResult => {
  const values = endpointValuesAtVisit(endpoint, schedule, subjects, visit);
  const arms: Record<string, EndpointGroupResult> = {};
  for (const arm of armOrder)
    arms[arm] = summarizeEndpointValues(
      endpoint,
      values.filter((value) => value.arm === arm),
    );
  const [a, b] = armOrder;
  let comparison: ArmEndpointResult['comparison'] = null;
  if (a !== undefined && b !== undefined) {
    const evaluableOf = (arm: string) => values.filter((value) => value.arm === arm && value.evaluable);
    if (endpoint.test === 'fisher-exact' && hasResponders(endpoint)) {
      const [ea, eb] = [evaluableOf(a), evaluableOf(b)];
      comparison = {
        arms: [a, b],
        test: 'fisher-exact',
        result: compareProportions(ea.filter((v) => v.responder).length, ea.length, eb.filter((v) => v.responder).length, eb.length),
      };
    } else if (endpoint.test === 'welch-mean-difference') {
      const changes = (arm: string) => evaluableOf(arm).flatMap((value) => (value.change === undefined ? [] : [value.change]));
      if (changes(a).length >= 2 && changes(b).length >= 2) {
        comparison = { arms: [a, b], test: 'welch-mean-difference', result: meanDifferenceCI(changes(a), changes(b)) };
      }
    }
  }
  return { ...evaluateEndpoint(endpoint, schedule, subjects, visit), arms, comparison };
};
