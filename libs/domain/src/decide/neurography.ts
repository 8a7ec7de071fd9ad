import { isBelowLimbTemperatureThreshold } from '../calculators';
import { EventDraft } from '../envelope';
import { Deviation } from '../events/deviation';
import { MOTOR_NERVES, Nerve, NerveStudy, NERVES, NeurographyRecorded, SENSORY_NERVES, SIDES } from '../events/neurography';
import { PatientState } from '../patient-state';
import { DecisionContext, ProtocolDefinition } from '../protocol';
import { Decision } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { NeurographyCommand } from './commands';
import { decideEntry, definedOnly, PayloadBuilder } from './entry';

const MOTOR_MEASURES = ['motorConductionVelocityMs', 'distalMotorLatencyMs', 'cmapAmplitudeMv', 'fWaveLatencyMs'] as const;
const SENSORY_MEASURES = ['snapAmplitudeUv'] as const;
type Measure = (typeof MOTOR_MEASURES)[number] | (typeof SENSORY_MEASURES)[number];

const isMotor = (nerve: Nerve) => MOTOR_NERVES.includes(nerve);
const isSensory = (nerve: Nerve) => SENSORY_NERVES.includes(nerve);

const nerveStudy = (
  raw: unknown,
  at: (...path: (string | number)[]) => string,
  ranges: ProtocolDefinition['neurography'],
  issues: Violations,
): NerveStudy | undefined => {
  const input = issues.object(raw, at()) ? fieldsOf(raw) : undefined;
  if (!input) return undefined;
  const nerve = issues.oneOf(input.nerve, at('nerve'), NERVES);
  const side = issues.oneOf(input.side, at('side'), SIDES);

  const measures: Partial<Record<Measure, number>> = {};
  for (const measure of [...MOTOR_MEASURES, ...SENSORY_MEASURES]) {
    measures[measure] = issues.optionalNumber(input[measure], at(measure), ranges[measure]);
  }
  const distalDistanceMm = issues.optionalNumber(input.distalDistanceMm, at('distalDistanceMm'), ranges.distalDistanceMm);

  if (nerve !== undefined) {
    for (const measure of [...MOTOR_MEASURES, 'distalDistanceMm'] as const) {
      if (input[measure] != null && !isMotor(nerve)) {
        issues.add(at(measure), RULE.notAMotorNerve, `${measure} is a motor measure; the ${nerve} nerve is studied as a sensory nerve`);
      }
    }
    if (input.snapAmplitudeUv != null && !isSensory(nerve)) {
      issues.add(at('snapAmplitudeUv'), RULE.notASensoryNerve, `the ${nerve} nerve is studied as a motor nerve only`);
    }
  }
  if ([...MOTOR_MEASURES, ...SENSORY_MEASURES].every((measure) => input[measure] == null)) {
    issues.add(at(), RULE.noMeasure, 'each nerve needs at least one measure');
  }
  // the distance only serves the terminal latency index, which needs the latency
  if (input.distalDistanceMm != null && input.distalMotorLatencyMs == null) {
    issues.add(at('distalDistanceMm'), RULE.requiresDistalMotorLatency, 'a distal distance needs its distal motor latency');
  }

  if (nerve === undefined || side === undefined) return undefined;
  return definedOnly<NerveStudy>({ nerve, side, ...measures, distalDistanceMm });
};

/**
 * A nerve conduction study: per nerve and side, the measures that belong to that nerve. A study of
 * a limb colder than the protocol's threshold is stored and flagged, because it was done.
 */
export const neurographyPayload: PayloadBuilder<'NeurographyRecorded'> = ({ fields, ctx, at }, issues) => {
  const ranges = ctx.protocol.neurography;
  const limbTemperatureC = issues.requiredNumber(fields.limbTemperatureC, at('limbTemperatureC'), ranges.limbTemperatureC);
  const rawNerves = issues.items(fields.nerves, at('nerves'));

  const nerves: NerveStudy[] = [];
  const seen = new Set<string>();
  rawNerves?.forEach((raw, index) => {
    const study = nerveStudy(raw, (...path) => at('nerves', index, ...path), ranges, issues);
    if (!study) return;
    const key = `${study.nerve}/${study.side}`;
    if (seen.has(key)) {
      issues.add(at('nerves', index), RULE.duplicateNerve, `the ${study.side} ${study.nerve} nerve is listed twice`);
    }
    seen.add(key);
    nerves.push(study);
  });

  if (issues.any || limbTemperatureC === undefined) return undefined;
  const deviations: Deviation[] = [];
  const threshold = ctx.protocol.limbTemperatureThresholdC;
  if (isBelowLimbTemperatureThreshold(limbTemperatureC, threshold)) {
    deviations.push({
      code: 'limb-temperature-below-32C',
      detail: `limb temperature ${limbTemperatureC} °C is below ${threshold} °C; conduction velocities read low`,
    });
  }
  return { limbTemperatureC, nerves, deviations };
};

export const decideNeurography: (
  state: PatientState,
  command: NeurographyCommand,
  ctx: DecisionContext,
) => Decision<EventDraft<'NeurographyRecorded', NeurographyRecorded>> = decideEntry('NeurographyRecorded', neurographyPayload);
