import type { EventEnvelope } from '@trialstream/domain';

/**
 * Streams as this process last read or wrote them, the least recently used forgotten first once the
 * events held pass a bound (memory, not a count of streams, is what a few long histories would exhaust).
 * Events are never changed or removed once stored (the event store refuses UPDATE and DELETE), so a
 * cached prefix stays true; what other processes appended since is caught by the expected-version check.
 */
export class StreamCache {
  private readonly streams = new Map<string, EventEnvelope[]>();
  private held = 0;

  constructor(private readonly maxEvents: number) {}

  /** The stream's cached prefix (undefined when not cached), marked as most recently used. */
  get(streamId: string): EventEnvelope[] | undefined {
    const events = this.streams.get(streamId);
    if (!events) return undefined;
    this.streams.delete(streamId);
    this.streams.set(streamId, events);
    return events;
  }

  /** Remembers the stream as the cached prefix followed by what came after it. */
  extend(streamId: string, prefix: EventEnvelope[], newer: EventEnvelope[]): EventEnvelope[] {
    const events = newer.length === 0 ? prefix : [...prefix, ...newer];
    this.forget(streamId);
    this.streams.set(streamId, events);
    this.held += events.length;
    for (const [oldest] of this.streams) {
      if (this.held <= this.maxEvents || oldest === streamId) break;
      this.forget(oldest);
    }
    return events;
  }

  forget(streamId: string): void {
    this.held -= this.streams.get(streamId)?.length ?? 0;
    this.streams.delete(streamId);
  }
}
