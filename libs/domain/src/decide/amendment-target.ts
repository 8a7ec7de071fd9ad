import { AMENDABLE_EVENT_TYPES, AmendableEventType, isAmendableEventType } from '../events/amendment';
import { PatientState, StreamEntry } from '../patient-state';
import { RULE } from '../rules';
import { Violations } from '../validation';

/**
 * Finds the entry a correction or void points at: an entry of this patient's stream, of an
 * amendable type, not voided, and of the type the command claims when it names one.
 */
export const amendmentTarget = (
  state: PatientState,
  eventIdValue: unknown,
  typeValue: unknown,
  fields: { eventId: string; type: string },
  issues: Violations,
): { eventId: string; type: AmendableEventType; entry: StreamEntry } | undefined => {
  const eventId = issues.requiredText(eventIdValue, fields.eventId, 100);
  const claimedType = issues.optionalOneOf(typeValue, fields.type, AMENDABLE_EVENT_TYPES);
  if (eventId === undefined) return undefined;

  const entry = Object.prototype.hasOwnProperty.call(state.entries, eventId) ? state.entries[eventId] : undefined;
  if (!entry) {
    return void issues.add(fields.eventId, RULE.unknownEvent, `no event ${eventId} in this patient's record`);
  }
  if (!isAmendableEventType(entry.type)) {
    return void issues.add(
      fields.eventId,
      RULE.notAmendable,
      `${entry.type} cannot be corrected or voided; only ${AMENDABLE_EVENT_TYPES.join(', ')} can`,
    );
  }
  if (entry.voided) {
    return void issues.add(fields.eventId, RULE.alreadyVoided, `event ${eventId} is voided`);
  }
  if (claimedType !== undefined && claimedType !== entry.type) {
    return void issues.add(fields.type, RULE.typeMismatch, `event ${eventId} is ${entry.type}, not ${claimedType}`);
  }
  if (typeValue !== undefined && typeValue !== null && claimedType === undefined) return undefined;
  return { eventId, type: entry.type, entry };
};
