/** How many events' worth of state a runner carries between batches: a stream's state grows with its events. */
export const CARRIED_EVENTS = 20_000;

interface Kept {
  version: number;
  value: unknown;
}

/**
 * What a projection keeps of its streams between the batches of one runner (`RowAccess.carry`): the state it
 * derived a stream's rows from, so that the next batch of that stream need not read and fold them again. A value
 * stands for the rows as committed at one stream version, so it is offered only while the read model's applied
 * version of the stream is still that one: another runner of the same schema, a rebuild or a reset that moved the
 * stream since makes it unusable. The least recently kept go first once the values cover more than `maxEvents`
 * stream versions.
 */
export class CarriedStates {
  private readonly kept = new Map<string, Kept>();
  private events = 0;

  constructor(private readonly maxEvents = CARRIED_EVENTS) {}

  /** One batch's view, at the applied versions the batch read under the read model's lock. */
  forBatch(applied: ReadonlyMap<string, number>): BatchCarry {
    return new BatchCarry(this, applied);
  }

  valueAt(streamId: string, version: number): unknown {
    const kept = this.kept.get(streamId);
    return kept?.version === version ? kept.value : undefined;
  }

  keep(streamId: string, kept: Kept): void {
    this.forget([streamId]);
    this.kept.set(streamId, kept);
    this.events += kept.version;
    for (const [oldest, { version }] of this.kept) {
      if (this.events <= this.maxEvents) break;
      this.kept.delete(oldest);
      this.events -= version;
    }
  }

  forget(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) {
      const kept = this.kept.get(streamId);
      if (!kept) continue;
      this.kept.delete(streamId);
      this.events -= kept.version;
    }
  }

  forgetAll(): void {
    this.kept.clear();
    this.events = 0;
  }
}

/** A batch's carried values: those valid when it began, and those it keeps, which count once it commits. */
export class BatchCarry {
  private readonly pending = new Map<string, unknown>();
  private forgotAll = false;

  constructor(
    private readonly states: CarriedStates,
    private readonly applied: ReadonlyMap<string, number>,
  ) {}

  /** The value kept for the stream at the version the batch starts from; undefined when there is none. */
  get(streamId: string): unknown {
    if (this.forgotAll) return undefined;
    return this.states.valueAt(streamId, this.applied.get(streamId) ?? 0);
  }

  has(streamId: string): boolean {
    return this.get(streamId) !== undefined;
  }

  keep(streamId: string, value: unknown): void {
    this.pending.set(streamId, value);
  }

  /** Nothing carried before or during the batch is offered again. */
  forgetAll(): void {
    this.forgotAll = true;
    this.pending.clear();
  }

  /** Once the batch committed: its values stand for the streams at their last versions in the batch. */
  committed(lastVersions: ReadonlyMap<string, number>): void {
    if (this.forgotAll) this.states.forgetAll();
    // a value kept before this batch no longer stands for a stream the batch moved
    this.states.forget([...lastVersions.keys()].filter((streamId) => !this.pending.has(streamId)));
    for (const [streamId, value] of this.pending) {
      const version = lastVersions.get(streamId);
      if (version === undefined) continue;
      this.states.keep(streamId, { version, value });
    }
  }
}
