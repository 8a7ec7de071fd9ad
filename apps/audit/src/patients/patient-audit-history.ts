import type { Actor, EntryCorrected, EventEnvelope } from '@trialstream/domain';

/** Who recorded an event, where, and when it happened and was recorded. */
export interface Attribution {
  eventId: string;
  type: string;
  streamVersion: number;
  globalPosition: string;
  who: Actor;
  siteId: string | null;
  /** Clinical time, as the site reported it. */
  occurredAt: string;
  /** Server time of the commit. */
  recordedAt: string;
}

/** A correction or void, shown right under the entry it amends. */
export interface HistoryAmendment extends Attribution {
  kind: 'correction' | 'void';
  reason: string;
  /** The full corrected payload; null for a void. */
  data: unknown;
}

export interface HistoryEntry extends Attribution {
  schemaVersion: number;
  /** The payload as first recorded. */
  data: unknown;
  /** Set when this event amends one the history does not hold (never in an intact stream). */
  amends: { eventId: string; reason: string } | null;
  amendments: HistoryAmendment[];
  status: 'as-recorded' | 'corrected' | 'voided';
  /** What the entry holds after its amendments; null once voided. */
  current: { occurredAt: string; data: unknown } | null;
}

export interface PatientAuditHistory {
  patientId: string;
  siteId: string | null;
  streamVersion: number;
  entries: HistoryEntry[];
}

const attributionOf = (event: EventEnvelope): Attribution => ({
  eventId: event.eventId,
  type: event.type,
  streamVersion: event.streamVersion,
  globalPosition: event.globalPosition,
  who: event.actor,
  siteId: event.siteId,
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
});

const amendmentOf = (event: EventEnvelope): HistoryAmendment | null => {
  if (event.type === 'EntryCorrected') {
    const correction = event.data as EntryCorrected;
    return { ...attributionOf(event), kind: 'correction', reason: event.amends?.reason ?? correction.reason, data: correction.data };
  }
  if (event.type === 'EntryVoided') {
    return { ...attributionOf(event), kind: 'void', reason: event.amends?.reason ?? (event.data as { reason: string }).reason, data: null };
  }
  return null;
};

const targetOf = (event: EventEnvelope): string | undefined =>
  event.amends?.eventId ??
  (event.data as { correctedEventId?: string; voidedEventId?: string } | null)?.correctedEventId ??
  (event.data as { voidedEventId?: string } | null)?.voidedEventId;

/**
 * A patient's stream for an auditor: every entry in the order recorded, each followed by its
 * corrections and voids with who made them and why, and what the entry holds after them.
 */
export function patientAuditHistory(patientId: string, events: readonly EventEnvelope[]): PatientAuditHistory {
  const entries: HistoryEntry[] = [];
  const byId = new Map<string, HistoryEntry>();
  let siteId: string | null = null;
  for (const event of events) {
    siteId ??= (event.data as { siteId?: string } | null)?.siteId ?? event.siteId;
    const amendment = amendmentOf(event);
    const target = amendment ? byId.get(targetOf(event) ?? '') : undefined;
    if (amendment && target) {
      target.amendments.push(amendment);
      if (amendment.kind === 'void') {
        target.status = 'voided';
        target.current = null;
      } else if (target.status !== 'voided') {
        target.status = 'corrected';
        target.current = { occurredAt: amendment.occurredAt, data: amendment.data };
      }
      continue;
    }
    const entry: HistoryEntry = {
      ...attributionOf(event),
      schemaVersion: event.schemaVersion,
      data: event.data,
      amends: event.amends,
      amendments: [],
      status: 'as-recorded',
      current: { occurredAt: event.occurredAt, data: event.data },
    };
    entries.push(entry);
    byId.set(event.eventId, entry);
  }
  return { patientId, siteId, streamVersion: events.at(-1)?.streamVersion ?? 0, entries };
}
