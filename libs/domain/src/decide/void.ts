import { EventDraft } from '../envelope';
import { EntryVoided } from '../events/amendment';
import { draftEvent } from '../events/catalog';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { fieldsOf, Violations } from '../validation';
import { requireEnrolledPatient } from './admission';
import { amendmentTarget } from './amendment-target';
import { VoidCommand } from './commands';

/**
 * Declares an entry void (entered for the wrong patient, never happened). The entry stays in the
 * log; projections drop it. A void's time is when the site decided, so only "not in the future"
 * applies to it.
 */
export const decideVoid = (
  state: PatientState,
  command: VoidCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'EntryVoided', EntryVoided>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  if (!requireEnrolledPatient(state, issues)) return reject(issues.list);

  const reason = issues.requiredText(fields.reason, 'reason', 1000);
  const target = amendmentTarget(state, fields.voidedEventId, fields.voidedType, { eventId: 'voidedEventId', type: 'voidedType' }, issues);
  const time = issues.clinicalTime(fields.occurredAt, 'occurredAt', ctx.now, ctx.protocol.allowedClockSkewMinutes);
  if (issues.any || !target || !time || reason === undefined) return reject(issues.list);

  return accept(
    draftEvent(
      'EntryVoided',
      fields.occurredAt as string,
      { voidedEventId: target.eventId, voidedType: target.type, reason },
      { eventId: target.eventId, reason },
    ),
  );
};
