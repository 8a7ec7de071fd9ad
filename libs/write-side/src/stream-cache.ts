import type { EventEnvelope } from '@trialstream/domain';

/**
 * Streams as this process last read them, the least recently used forgotten first. Events are never
 * changed or removed once stored (the event store refuses UPDATE and DELETE), so a cached prefix stays
 * true and a reader only needs what came after it; writers in other processes are caught by the
 * expected-version check at append, as for any read.
 */
export class StreamCache {
  private readonly streams = new Map<string, EventEnvelope[]>();

  constructor(private readonly capacity: number) {}

  /** The stream's cached prefix (possibly empty), marked as most recently used. */
  get(streamId: string): EventEnvelope[] {
    const events = this.streams.get(streamId);
    if (!events) return [];
    this.streams.delete(streamId);
    this.streams.set(streamId, events);
    return events;
  }

  /** Remembers the stream as read: the cached prefix followed by what was read after it. */
  extend(streamId: string, prefix: EventEnvelope[], newer: EventEnvelope[]): EventEnvelope[] {
    const events = newer.length === 0 ? prefix : [...prefix, ...newer];
    this.streams.delete(streamId);
    this.streams.set(streamId, events);
    if (this.streams.size > this.capacity) this.streams.delete(this.streams.keys().next().value!);
    return events;
  }

  forget(streamId: string): void {
    this.streams.delete(streamId);
  }
}
