import type { DataSource, QueryRunner } from 'typeorm';
import { describeError } from '@trialstream/config';
import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import { sequenceBatch, type EventsByStream } from './batch-sequence';
import {
  addAdvanceCheckpoint,
  addMarkApplied,
  advanceCheckpoint,
  isPristine,
  markApplied,
  readAppliedVersions,
  readCheckpoint,
  readDeadLetters,
  recordDeadLetter,
  type DeadLetter,
} from './bookkeeping';
import { inTransaction, lockProjectionSchema } from './database';
import { HandlerError, MissingStreamVersionsError, RowReadError, isRowDataError } from './errors';
import { consoleLogger, type ProjectionLogger } from './logger';
import type { Projection } from './projection';
import { entryOf } from './map-entry';
import { BatchRowCache } from './row-cache';
import { CarriedStates } from './carried-states';
import { assertPlainName } from './sql-identifiers';
import { WriteStatement } from './write-statement';

/** Where the runner reads the versions a delivered event's stream is missing (the event store). */
export interface StreamSource {
  readStream(streamId: string): Promise<EventEnvelope[]>;
}

export interface ProjectionRunnerOptions {
  /** Apply into another schema than the projection's own, e.g. a rebuild's scratch schema. */
  schema?: string;
  logger?: ProjectionLogger;
  /** Told of every non-empty batch, with how long it took: the projection's metrics. */
  onBatch?: (result: BatchResult, seconds: number) => void;
}

export interface BatchResult {
  /** Events whose handlers ran and whose rows were written, gap fillers included. */
  applied: number;
  /** Delivered events that were already applied (redeliveries, duplicates in the batch). */
  skipped: number;
  /** Earlier stream versions read from the store because delivery had not brought them yet. */
  filled: number;
  deadLettered: number;
}

const NOTHING_DONE: BatchResult = { applied: 0, skipped: 0, filled: 0, deadLettered: 0 };

/**
 * Some streams need earlier versions than the batch (and the fillers read so far) holds: the transaction
 * is rolled back, the fillers are read from the store, and the batch is tried again. Rare (a redelivery
 * or a Kafka batch ahead of the store feed), so the common batch costs no read before its transaction.
 */
class StalePlanError extends Error {
  constructor(readonly missing: ReadonlyMap<string, number[]>) {
    super('the batch needs stream versions it does not hold');
  }
}

const MAX_PLANNING_ATTEMPTS = 5;

/** Holds no value: its batches offer nothing, and what they keep is dropped with them. */
const NOTHING_CARRIED = new CarriedStates(0);

/**
 * Applies batches of events to one projection, whatever feeds them (the store, Kafka, a rebuild).
 *
 * A batch is one transaction: the handlers' rows, the applied stream versions and the checkpoint
 * commit together, so a crash either keeps all of a batch or none of it. Each stream's events are
 * applied exactly once and in version order, whatever order or how often they are delivered.
 * If a handler throws, the batch is rolled back and re-applied event by event, the failing event
 * goes to the dead-letter table, and the projection goes on.
 */
export class ProjectionRunner {
  readonly schema: string;
  private readonly logger: ProjectionLogger;
  private readonly onBatch: ProjectionRunnerOptions['onBatch'];
  private readonly carried = new CarriedStates();

  constructor(
    readonly projection: Projection,
    private readonly dataSource: DataSource,
    private readonly store: StreamSource,
    options: ProjectionRunnerOptions = {},
  ) {
    this.schema = options.schema ?? projection.schema;
    assertPlainName('schema', this.schema);
    this.logger = options.logger ?? consoleLogger(`projection ${projection.name}`);
    this.onBatch = options.onBatch;
  }

  /** Where a store-fed runner resumes. */
  checkpoint(): Promise<Checkpoint> {
    return readCheckpoint(this.dataSource, this.schema);
  }

  async appliedVersions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return readAppliedVersions(this.dataSource, this.schema, streamIds);
  }

  /** Nothing applied yet: a feed that cannot replay the whole history should catch up from the store first. */
  isPristine(): Promise<boolean> {
    return isPristine(this.dataSource, this.schema);
  }

  deadLetters(): Promise<DeadLetter[]> {
    return readDeadLetters(this.dataSource, this.schema);
  }

  /**
   * Applies the batch in one transaction and, when given, moves the checkpoint to `checkpoint` in the
   * same transaction (store-fed runners; Kafka feeds rely on consumer offsets instead). Rejects only
   * for failures that are not an event's fault (database unreachable, ...): nothing of the batch is
   * then kept and the feed should deliver it again.
   */
  async applyBatch(events: readonly EventEnvelope[], checkpoint?: Checkpoint): Promise<BatchResult> {
    if (events.length === 0 || !this.onBatch) return this.applyBatchUntimed(events, checkpoint);
    const started = process.hrtime.bigint();
    const result = await this.applyBatchUntimed(events, checkpoint);
    this.onBatch(result, Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  }

  private async applyBatchUntimed(events: readonly EventEnvelope[], checkpoint?: Checkpoint): Promise<BatchResult> {
    if (events.length === 0) {
      if (checkpoint) await this.transaction((runner) => advanceCheckpoint(runner, this.schema, checkpoint));
      return { ...NOTHING_DONE };
    }
    // The gap fillers read so far, kept over attempts: a retry only adds what the last one found missing.
    const extra = new Map<string, Map<number, EventEnvelope>>();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyInOneTransaction(events, extra, checkpoint);
      } catch (error) {
        if (error instanceof StalePlanError && attempt < MAX_PLANNING_ATTEMPTS) {
          // Gap fillers are read outside the transaction: the embedded database cannot serve a second
          // connection while this one holds a transaction open.
          await this.fetchMissing(error.missing, extra);
          continue;
        }
        if (error instanceof HandlerError || isRowDataError(error)) {
          return this.applyEventByEvent(events, extra, checkpoint);
        }
        throw error;
      }
    }
  }

  private async applyInOneTransaction(
    delivered: readonly EventEnvelope[],
    extra: EventsByStream,
    checkpoint: Checkpoint | undefined,
  ): Promise<BatchResult> {
    const streamIds = [...new Set(delivered.map((event) => event.streamId))];
    try {
      const { result, carries, lastVersions } = await this.transaction(async (runner) => {
        const applied = await readAppliedVersions(runner, this.schema, streamIds);
        const sequence = sequenceBatch(delivered, applied, extra);
        if (sequence.missing.size > 0) throw new StalePlanError(sequence.missing);

        const carries = this.carried.forBatch(applied);
        const rows = new BatchRowCache(this.projection, this.schema, runner, carries);
        const prefetch = this.projection.prefetch;
        if (prefetch) await rows.prefetch(sequence.events.flatMap((event) => prefetch(event, carries)));
        for (const event of sequence.events) await this.handle(event, rows);
        await this.completeBatch(sequence.events, rows);
        // The rows, the applied versions and the checkpoint in one statement: one round trip, one commit.
        const write = new WriteStatement();
        rows.addWrites(write);
        const lastVersions = highestVersions(sequence.events);
        addMarkApplied(write, this.schema, lastVersions);
        if (checkpoint) addAdvanceCheckpoint(write, this.schema, checkpoint);
        await write.run(runner);
        const result = { applied: sequence.events.length, skipped: sequence.skipped, filled: sequence.filled, deadLettered: 0 };
        return { result, carries, lastVersions };
      });
      // what the batch carries counts once its transaction committed
      carries.committed(lastVersions);
      return result;
    } catch (error) {
      // a failed batch's handlers may have changed what they were offered
      this.carried.forget(streamIds);
      throw error;
    }
  }

  /** Finds the poison event(s) of a failed batch: every other event is applied, each in its own transaction. */
  private async applyEventByEvent(
    delivered: readonly EventEnvelope[],
    extra: EventsByStream,
    checkpoint: Checkpoint | undefined,
  ): Promise<BatchResult> {
    const streamIds = [...new Set(delivered.map((event) => event.streamId))];
    this.carried.forget(streamIds);
    const sequence = sequenceBatch(delivered, await readAppliedVersions(this.dataSource, this.schema, streamIds), extra);
    const [streamId, versions] = [...sequence.missing][0] ?? [];
    if (streamId) throw new MissingStreamVersionsError(streamId, versions);

    const result: BatchResult = { applied: 0, skipped: sequence.skipped, filled: sequence.filled, deadLettered: 0 };
    for (const event of sequence.events) {
      try {
        const applied = await this.transaction(async (runner) => {
          if (!(await this.isNext(runner, event))) return false;
          // one event at a time, carrying nothing: this runs to find the event that fails
          const rows = new BatchRowCache(this.projection, this.schema, runner, NOTHING_CARRIED.forBatch(new Map()));
          await this.handle(event, rows);
          await this.completeBatch([event], rows);
          await rows.flush();
          await markApplied(runner, this.schema, new Map([[event.streamId, event.streamVersion]]));
          return true;
        });
        if (applied) result.applied += 1;
        else result.skipped += 1;
      } catch (error) {
        if (!(error instanceof HandlerError || isRowDataError(error))) throw error;
        const cause = error instanceof HandlerError ? error.cause : error;
        await this.transaction(async (runner) => {
          if (!(await this.isNext(runner, event))) return;
          await recordDeadLetter(runner, this.schema, event, (cause as Error)?.stack ?? describeError(cause));
          await markApplied(runner, this.schema, new Map([[event.streamId, event.streamVersion]]));
          result.deadLettered += 1;
        });
        this.logger.warn(
          `event ${event.eventId} (${event.type}, ${event.streamId} v${event.streamVersion}) went to ${this.schema}._dead_letters: ${describeError(cause)}`,
        );
      }
    }
    if (checkpoint) await this.transaction((runner) => advanceCheckpoint(runner, this.schema, checkpoint));
    return result;
  }

  /** True when the event's stream is exactly one version behind it; false when it was applied meanwhile. */
  private async isNext(runner: QueryRunner, event: EventEnvelope): Promise<boolean> {
    const applied = (await readAppliedVersions(runner, this.schema, [event.streamId])).get(event.streamId) ?? 0;
    if (applied >= event.streamVersion) return false;
    if (applied < event.streamVersion - 1) throw new MissingStreamVersionsError(event.streamId, [applied + 1]);
    return true;
  }

  private async handle(event: EventEnvelope, rows: BatchRowCache): Promise<void> {
    const handler = this.projection.handlers[event.type];
    if (handler) await blamedOn(event, () => handler(event, rows));
  }

  /** The projection's end-of-batch work; a failure is the batch's last event's, which the event-by-event retry narrows down. */
  private async completeBatch(events: readonly EventEnvelope[], rows: BatchRowCache): Promise<void> {
    const complete = this.projection.completeBatch;
    const last = events.at(-1);
    if (complete && last) await blamedOn(last, () => complete(rows));
  }

  /** Reads the missing versions from the store into `extra`. */
  private async fetchMissing(missing: ReadonlyMap<string, number[]>, extra: Map<string, Map<number, EventEnvelope>>): Promise<void> {
    for (const [streamId, versions] of missing) {
      const wanted = new Set(versions);
      const found = (await this.store.readStream(streamId)).filter((event) => wanted.has(event.streamVersion));
      if (found.length < wanted.size) {
        const have = new Set(found.map((event) => event.streamVersion));
        throw new MissingStreamVersionsError(
          streamId,
          versions.filter((version) => !have.has(version)),
        );
      }
      const versionsOfStream = entryOf(extra, streamId, () => new Map<number, EventEnvelope>());
      for (const event of found) versionsOfStream.set(event.streamVersion, event);
    }
  }

  private transaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, async (runner) => {
      await lockProjectionSchema(runner, this.schema);
      return work(runner);
    });
  }
}

/** Runs a projection's own code for an event: what it throws is the event's (a HandlerError), unless the runtime's read failed. */
async function blamedOn(event: EventEnvelope, work: () => void | Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RowReadError) throw error;
    throw new HandlerError(event.eventId, event.type, error);
  }
}

function highestVersions(events: readonly EventEnvelope[]): Map<string, number> {
  const highest = new Map<string, number>();
  for (const event of events) highest.set(event.streamId, Math.max(highest.get(event.streamId) ?? 0, event.streamVersion));
  return highest;
}
