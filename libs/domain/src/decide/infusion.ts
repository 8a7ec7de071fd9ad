import { bodySurfaceArea, doseDeviationFraction, isDoseOutsideTolerance, plannedDoseMg, roundTo } from '../calculators';
import { ClinicalTime, clinicalTimeOf, compareClinicalTimes, daysBetween } from '../clinical-time';
import { EventDraft } from '../envelope';
import { Deviation } from '../events/deviation';
import { InfusionGiven } from '../events/infusion';
import { activeInfusions, InfusionRecord, PatientState } from '../patient-state';
import { DecisionContext, ProtocolDefinition } from '../protocol';
import { Decision } from '../rule-violation';
import { RULE } from '../rules';
import { Violations } from '../validation';
import { PATIENT_FIELD } from './admission';
import { InfusionCommand } from './commands';
import { decideEntry, PayloadBuilder } from './entry';

/** Where an infusion sits: its cycle position and its neighbours among the infusions that count. */
interface InfusionSlot {
  cycle: number;
  infusionInCycle: number;
  previous?: InfusionRecord;
  next?: InfusionRecord;
  /** Other infusions of the same cycle that count. */
  cycleMates: InfusionRecord[];
}

/**
 * A new infusion continues the cycle of the last one until the cycle is full, then opens the next
 * cycle. A corrected infusion keeps the position it was recorded in.
 */
const slotFor = (state: PatientState, protocol: ProtocolDefinition, amendedEventId?: string): InfusionSlot => {
  const active = activeInfusions(state);
  const mates = (cycle: number) => active.filter((i) => i.cycle === cycle && i.eventId !== amendedEventId);

  const amended = amendedEventId ? active.find((i) => i.eventId === amendedEventId) : undefined;
  if (amended) {
    const index = active.indexOf(amended);
    return {
      cycle: amended.cycle,
      infusionInCycle: amended.infusionInCycle,
      previous: active[index - 1],
      next: active[index + 1],
      cycleMates: mates(amended.cycle),
    };
  }

  const last = active[active.length - 1];
  if (!last) return { cycle: 1, infusionInCycle: 1, cycleMates: [] };
  if (last.infusionInCycle < protocol.infusionsPerCycle) {
    return { cycle: last.cycle, infusionInCycle: last.infusionInCycle + 1, previous: last, cycleMates: mates(last.cycle) };
  }
  return { cycle: last.cycle + 1, infusionInCycle: 1, previous: last, cycleMates: [] };
};

/** Infusions are weekly: one on or before the previous one's date is an entry error, not a fact. */
const checkOrder = (slot: InfusionSlot, time: ClinicalTime, issues: Violations): void => {
  if (slot.previous && compareClinicalTimes(time, clinicalTimeOf(slot.previous.occurredAt)) <= 0) {
    issues.add('occurredAt', RULE.infusionNotAfterPrevious, `must be after the previous infusion on ${slot.previous.occurredAt}`);
  }
  if (slot.next && compareClinicalTimes(time, clinicalTimeOf(slot.next.occurredAt)) >= 0) {
    issues.add('occurredAt', RULE.infusionNotBeforeNext, `must be before the next infusion on ${slot.next.occurredAt}`);
  }
};

/**
 * Infusion n of a cycle is due (n − 1) × interval days after the cycle's first; the anchor is the
 * earliest infusion of the cycle that still counts.
 */
const windowDeviation = (slot: InfusionSlot, time: ClinicalTime, protocol: ProtocolDefinition): Deviation | undefined => {
  const anchor = slot.cycleMates.reduce<InfusionRecord | undefined>(
    (first, mate) => (first && first.infusionInCycle <= mate.infusionInCycle ? first : mate),
    undefined,
  );
  if (!anchor || anchor.infusionInCycle > slot.infusionInCycle) return undefined;
  const offset = daysBetween(clinicalTimeOf(anchor.occurredAt).date, time.date);
  const dueOffset = (slot.infusionInCycle - anchor.infusionInCycle) * protocol.infusionIntervalDays;
  if (Math.abs(offset - dueOffset) <= protocol.infusionWindowDays) return undefined;
  const anchorDay = 1 + (anchor.infusionInCycle - 1) * protocol.infusionIntervalDays;
  return {
    code: 'infusion-out-of-window',
    detail:
      `infusion ${slot.infusionInCycle} of cycle ${slot.cycle} given on day ${anchorDay + offset}, ` +
      `due on day ${anchorDay + dueOffset} ±${protocol.infusionWindowDays}`,
  };
};

const doseDeviation = (planned: number, administered: number, protocol: ProtocolDefinition): Deviation | undefined => {
  if (!isDoseOutsideTolerance(planned, administered, protocol.doseTolerance)) return undefined;
  const percent = roundTo(doseDeviationFraction(planned, administered) * 100, 1);
  return {
    code: 'dose-off-by-more-than-10-percent',
    detail: `administered ${administered} mg, planned ${planned} mg (${percent > 0 ? '+' : ''}${percent}%)`,
  };
};

export const infusionPayload: PayloadBuilder<'InfusionGiven'> = ({ state, fields, time, ctx, at, amendedEventId }, issues) => {
  const { protocol } = ctx;

  if (!state.randomizedAt) {
    issues.add(PATIENT_FIELD, RULE.notRandomized, 'the patient must be randomized before an infusion');
  } else if (time && compareClinicalTimes(time, clinicalTimeOf(state.randomizedAt)) < 0) {
    issues.add('occurredAt', RULE.beforeRandomization, `must not be before the randomization on ${state.randomizedAt}`);
  }

  const doseLevel = issues.requiredNumber(fields.doseLevelMgPerM2, at('doseLevelMgPerM2'), { min: -Infinity, max: Infinity });
  const administered = issues.requiredNumber(fields.administeredDoseMg, at('administeredDoseMg'), protocol.administeredDoseMg);
  // current measurements override the enrolment's; an invalid one must not silently fall back
  const heightCm =
    fields.heightCm == null ? state.heightCm : issues.requiredNumber(fields.heightCm, at('heightCm'), protocol.anthropometry.heightCm);
  const weightKg =
    fields.weightKg == null ? state.weightKg : issues.requiredNumber(fields.weightKg, at('weightKg'), protocol.anthropometry.weightKg);

  const slot = slotFor(state, protocol, amendedEventId);
  if (doseLevel !== undefined) {
    if (!protocol.doseLevelsMgPerM2.includes(doseLevel)) {
      issues.add(
        at('doseLevelMgPerM2'),
        RULE.doseLevelNotInProtocol,
        `dose level must be one of ${protocol.doseLevelsMgPerM2.join(', ')} mg/m²`,
      );
    } else {
      const other = slot.cycleMates.find((mate) => mate.doseLevelMgPerM2 !== doseLevel);
      if (other) {
        issues.add(
          at('doseLevelMgPerM2'),
          RULE.doseLevelChangedWithinCycle,
          `cycle ${slot.cycle} is given at ${other.doseLevelMgPerM2} mg/m²; the dose level is constant within a cycle`,
        );
      }
    }
  }
  if (time) checkOrder(slot, time, issues);

  if (issues.any || !time || doseLevel === undefined || administered === undefined || heightCm == null || weightKg == null) {
    return undefined;
  }
  const bsaM2 = roundTo(bodySurfaceArea(heightCm, weightKg), 2);
  const planned = roundTo(plannedDoseMg(bsaM2, doseLevel), 2);
  const deviations = [windowDeviation(slot, time, protocol), doseDeviation(planned, administered, protocol)].filter(
    (deviation): deviation is Deviation => deviation !== undefined,
  );
  return {
    cycle: slot.cycle,
    infusionInCycle: slot.infusionInCycle,
    doseLevelMgPerM2: doseLevel,
    heightCm,
    weightKg,
    bsaM2,
    plannedDoseMg: planned,
    administeredDoseMg: administered,
    deviations,
  };
};

export const decideInfusion: (
  state: PatientState,
  command: InfusionCommand,
  ctx: DecisionContext,
) => Decision<EventDraft<'InfusionGiven', InfusionGiven>> = decideEntry('InfusionGiven', infusionPayload);
