import type { EventEnvelope } from '@trialstream/domain';
import { entryOf } from './map-entry';

export interface BatchSequence {
  /** What to apply: per stream, the versions after the applied one, gapless and in order. */
  events: EventEnvelope[];
  /** Versions a stream needs before its delivered events and that neither the batch nor `extra` holds. */
  missing: Map<string, number[]>;
  /** Delivered events already applied, or delivered twice in the batch. */
  skipped: number;
  /** Events taken from `extra` to fill gaps. */
  filled: number;
}

export type EventsByStream = ReadonlyMap<string, ReadonlyMap<number, EventEnvelope>>;

function assertPositioned(event: EventEnvelope): void {
  if (typeof event.streamId !== 'string' || event.streamId === '') throw new Error(`event ${event.eventId} has no stream id`);
  if (!Number.isInteger(event.streamVersion) || event.streamVersion < 1) {
    throw new Error(`event ${event.eventId} has no valid stream version (${event.streamVersion})`);
  }
}

/**
 * Turns a delivered batch into what must be applied so that the read model never depends on how
 * delivery ordered or repeated events: per stream, versions at or below the applied one are dropped,
 * the rest is applied in version order, and a missing earlier version (a gap) comes from `extra` or is
 * reported. Streams keep the order in which the batch first mentions them.
 */
export function sequenceBatch(
  delivered: readonly EventEnvelope[],
  applied: ReadonlyMap<string, number>,
  extra: EventsByStream = new Map(),
): BatchSequence {
  const byStream = new Map<string, Map<number, EventEnvelope>>();
  let skipped = 0;
  for (const event of delivered) {
    assertPositioned(event);
    const versions = entryOf(byStream, event.streamId, () => new Map<number, EventEnvelope>());
    if (versions.has(event.streamVersion)) skipped += 1;
    else versions.set(event.streamVersion, event);
  }

  const events: EventEnvelope[] = [];
  const missing = new Map<string, number[]>();
  let filled = 0;
  for (const [streamId, versions] of byStream) {
    const last = applied.get(streamId) ?? 0;
    const highest = Math.max(...versions.keys());
    for (const version of versions.keys()) if (version <= last) skipped += 1;
    const run: EventEnvelope[] = [];
    const gaps: number[] = [];
    let runFilled = 0;
    for (let version = last + 1; version <= highest; version++) {
      const deliveredEvent = versions.get(version);
      const filler = deliveredEvent ? undefined : extra.get(streamId)?.get(version);
      if (deliveredEvent) run.push(deliveredEvent);
      else if (filler) {
        run.push(filler);
        runFilled += 1;
      } else gaps.push(version);
    }
    if (gaps.length > 0) missing.set(streamId, gaps);
    else {
      events.push(...run);
      filled += runFilled;
    }
  }
  return { events, missing, skipped, filled };
}
