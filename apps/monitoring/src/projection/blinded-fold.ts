import {
  CommittedEvent,
  EntryCorrected,
  EventEnvelope,
  isAllocationRevealing,
  isEventType,
  isMonitoredEventType,
  isMonitoringEventType,
  isSignatureEventType,
  MONITORED_EVENT_FIELDS,
  ProtocolDefinition,
  redactForBlindedReader,
} from '@trialstream/domain';

/**
 * The emergency code-break on a patient's stream (added by the unblinding work). Monitors see that it
 * happened, never what it revealed, so the monitoring model keeps its time and nothing of its payload.
 */
export const CODE_BREAK_EVENT_TYPE = 'CodeBreakPerformed';

/** Keeps the payload fields a monitor may see of a monitored type; anything added later stays out until listed there. */
const monitoredFieldsOf = (type: string, data: unknown): unknown => {
  if (!isMonitoredEventType(type) || typeof data !== 'object' || data === null) return data;
  const allowed = MONITORED_EVENT_FIELDS[type] as Readonly<Record<string, unknown>>;
  return Object.fromEntries(Object.entries(data).filter(([field]) => Object.prototype.hasOwnProperty.call(allowed, field)));
};

/**
 * What the monitoring model folds of an event: the event as a blinded reader may see it. Masked
 * analytes lose their values (`redactForBlindedReader`, the same rule as the blinded history), and
 * payloads keep only the fields monitors work with, so neither an allocation nor a masked value can
 * reach the read model, let alone a response or an export built from it. Undefined for events the
 * monitoring fold does not take (a code-break is counted, not folded).
 */
export function blindedForMonitoring(
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
  event: EventEnvelope,
): CommittedEvent | undefined {
  const committed = { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt };
  // A signature's hash covers the blinded view of its data (see signatureScopeContent): nothing to remove.
  if (isMonitoringEventType(event.type) || isSignatureEventType(event.type)) return { ...committed, data: event.data };
  if (!isEventType(event.type)) return undefined;
  if (isAllocationRevealing(protocol, event)) return { ...committed, data: redactForBlindedReader(protocol, event).data };
  if (event.type === 'EntryCorrected') {
    const correction = event.data as EntryCorrected;
    return { ...committed, data: { ...correction, data: monitoredFieldsOf(correction.correctedType, correction.data) } };
  }
  return { ...committed, data: monitoredFieldsOf(event.type, event.data) };
}
