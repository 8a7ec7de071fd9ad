import stringify from 'safe-stable-stringify';
import { EventDraft } from '../envelope';
import { AmendablePayloadByType, EntryCorrected } from '../events/amendment';
import { draftEvent } from '../events/catalog';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { isAllocationRevealing } from '../blinding';
import { clinicalTimeOf } from '../clinical-time';
import { admitClinicalTime, requireEnrolledPatient } from './admission';
import { PAYLOAD_BUILDERS } from './amendable';
import { amendmentTarget } from './amendment-target';
import { CorrectionCommand } from './commands';
import { pathUnder, PayloadInput } from './entry';

type AmendablePayload = AmendablePayloadByType[keyof AmendablePayloadByType];

/**
 * Replaces an entry's payload, and its clinical time only when `correctedOccurredAt` says so, validated
 * by the same rules as a new entry of that type. The stored correction's occurredAt is the entry's
 * (kept or corrected) clinical time, as it always was, so corrections stored earlier replay unchanged.
 * Corrections go on after withdrawal (data cleaning does), but a corrected time must still fall within
 * the patient's participation.
 */
export const decideCorrection = (
  state: PatientState,
  command: CorrectionCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'EntryCorrected', EntryCorrected>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  if (!requireEnrolledPatient(state, issues)) return reject(issues.list);

  const reason = issues.requiredText(fields.reason, 'reason', 1000);
  const target = amendmentTarget(
    state,
    fields.correctedEventId,
    fields.correctedType,
    { eventId: 'correctedEventId', type: 'correctedType' },
    issues,
  );
  // When the site made the correction: a valid time, not in the future; the entry's time is another matter.
  issues.clinicalTime(fields.occurredAt, 'occurredAt', ctx.now, ctx.protocol.allowedClockSkewMinutes);
  const data = issues.object(fields.data, 'data');
  if (!target || !data) return reject(issues.list);
  const correctsTime = fields.correctedOccurredAt !== undefined;
  const time = correctsTime
    ? admitClinicalTime(state, fields.correctedOccurredAt, ctx, issues, 'correctedOccurredAt')
    : clinicalTimeOf(target.entry.occurredAt);

  const input: PayloadInput = { state, fields: data, time, ctx, at: pathUnder('data'), amendedEventId: target.eventId };
  const build = PAYLOAD_BUILDERS[target.type] as (input: PayloadInput, issues: Violations) => AmendablePayload | undefined;
  const corrected = build(input, issues);
  if (issues.any || !corrected || reason === undefined) return reject(issues.list);

  const occurredAt = correctsTime ? (fields.correctedOccurredAt as string) : target.entry.occurredAt;
  // Not for a masked analyte: the answer would tell a blinded site whether a guessed value is the stored one.
  const masked = isAllocationRevealing(ctx.protocol, { type: target.type, data: target.entry.data });
  if (!masked && occurredAt === target.entry.occurredAt && stringify(corrected) === stringify(target.entry.data)) {
    return reject([{ field: 'data', rule: RULE.correctionChangesNothing, message: 'the correction is identical to the current entry' }]);
  }
  return accept(
    draftEvent(
      'EntryCorrected',
      occurredAt,
      { correctedEventId: target.eventId, correctedType: target.type, reason, data: corrected } as EntryCorrected,
      { eventId: target.eventId, reason },
    ),
  );
};
