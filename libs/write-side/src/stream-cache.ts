import { foldEvents, type EventEnvelope, type StreamFolding } from '@trialstream/domain';

/** A stream's state after its first `version` events. */
interface KeptState {
  version: number;
  state: unknown;
}

interface CachedStream {
  events: EventEnvelope[];
  /** Per folding. */
  folds: Map<StreamFolding<unknown>, KeptState>;
}

/**
 * Streams as this process last read or wrote them, the least recently used forgotten first once the
 * events held pass a bound (memory, not a count of streams, is what a few long histories would exhaust).
 * Events are never changed or removed once stored (the event store refuses UPDATE and DELETE), so a
 * cached prefix stays true; what other processes appended since is caught by the expected-version check.
 * For the same reason a state folded from a stream's first n events stays its state at version n: it is
 * kept with the stream, and the next decision folds only the events after it instead of the whole history.
 */
export class StreamCache {
  private readonly streams = new Map<string, CachedStream>();
  private held = 0;

  constructor(private readonly maxEvents: number) {}

  /** The stream's cached prefix (undefined when not cached), marked as most recently used. */
  get(streamId: string): EventEnvelope[] | undefined {
    const cached = this.streams.get(streamId);
    if (!cached) return undefined;
    this.streams.delete(streamId);
    this.streams.set(streamId, cached);
    return cached.events;
  }

  /** Remembers the stream as the cached prefix followed by what came after it. */
  extend(streamId: string, prefix: EventEnvelope[], newer: EventEnvelope[]): EventEnvelope[] {
    const events = newer.length === 0 ? prefix : [...prefix, ...newer];
    const folds = this.streams.get(streamId)?.folds ?? new Map<StreamFolding<unknown>, KeptState>();
    this.forget(streamId);
    this.streams.set(streamId, { events, folds });
    this.held += events.length;
    for (const [oldest] of this.streams) {
      if (this.held <= this.maxEvents || oldest === streamId) break;
      this.forget(oldest);
    }
    return events;
  }

  forget(streamId: string): void {
    this.held -= this.streams.get(streamId)?.events.length ?? 0;
    this.streams.delete(streamId);
  }

  /**
   * The state after `events`, the stream's first events as read from the store: from the state kept for a
   * version at most that long, folding only the events after it, and kept in turn while the stream is cached.
   */
  stateOf<TState>(streamId: string, events: readonly EventEnvelope[], folding: StreamFolding<TState>): TState {
    const folds = this.streams.get(streamId)?.folds;
    const kept = folds?.get(folding);
    const from = kept && kept.version <= events.length ? kept.version : 0;
    const start = from > 0 ? (kept!.state as TState) : folding.initialState();
    const state = from === events.length ? start : foldEvents(folding, start, events.slice(from));
    folds?.set(folding, { version: events.length, state });
    return state;
  }
}
