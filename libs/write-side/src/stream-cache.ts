import { foldEvents, openFold, type EventEnvelope, type OpenFold, type StreamFolding } from '@trialstream/domain';

/** A stream's fold after its first `version` events, kept open. */
interface KeptFold {
  version: number;
  fold: OpenFold<unknown>;
}

interface CachedStream {
  events: EventEnvelope[];
  /** Per folding. */
  folds: Map<StreamFolding<unknown>, KeptFold>;
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
    const folds = this.streams.get(streamId)?.folds ?? new Map<StreamFolding<unknown>, KeptFold>();
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
   * The state after `events`, the stream's first events as read from the store: from the fold kept for a version
   * at most that long, folding only the events after it, and kept in turn while the stream is cached. The fold stays
   * open with the stream: a kind with an open fold of its own takes the newer events in place, so a write on a long
   * stream does not copy the stream's state, and the state handed out is then valid until the stream's next
   * `stateOf` (the writer decides under the stream's lock and keeps nothing of it after its append).
   */
  stateOf<TState>(streamId: string, events: readonly EventEnvelope[], folding: StreamFolding<TState>): TState {
    const folds = this.streams.get(streamId)?.folds;
    if (!folds) return foldEvents(folding, folding.initialState(), events);
    const found = folds.get(folding);
    const kept = found && found.version <= events.length ? found : { version: 0, fold: openFold(folding, folding.initialState()) };
    try {
      for (let version = kept.version; version < events.length; version++) kept.fold.add(events[version]);
    } catch (error) {
      // the fold has taken part of the events: kept, it would take them again
      folds.delete(folding);
      throw error;
    }
    folds.set(folding, { version: events.length, fold: kept.fold });
    return kept.fold.state as TState;
  }
}
