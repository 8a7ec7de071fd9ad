import type { DataSource, QueryRunner } from 'typeorm';
import type { AppendOutcome } from './contracts';
import type { PreparedAppend } from './prepared-append';
import { isRetryable } from './retryable-errors';
import { KnownStreamHeads } from './known-stream-heads';
import { writeBatch } from './write-batch';

export interface GroupCommitOptions {
  /** Most requests one transaction carries; the rest wait for the next flush. */
  maxBatchSize?: number;
  /** Attempts per batch on deadlock, serialization failure or a lost race for a new stream or submission. */
  maxAttempts?: number;
}

/** Observable effect of coalescing: fewer committed transactions than requests under load. */
export interface GroupCommitStats {
  requests: number;
  committedTransactions: number;
  retries: number;
  largestBatch: number;
}

interface Waiting {
  request: PreparedAppend;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

/**
 * Appends that arrive while a flush is running queue up and go out together in the next transaction,
 * each keeping its own expected-version check and outcome. One flush at a time per store: the queue
 * grows exactly when the database is the bottleneck, which is when batching pays.
 */
export class GroupCommitter {
  private readonly queue: Waiting[] = [];
  private flushing = false;
  private readonly maxBatchSize: number;
  private readonly maxAttempts: number;
  private readonly counters: GroupCommitStats = { requests: 0, committedTransactions: 0, retries: 0, largestBatch: 0 };
  private readonly knownHeads = new KnownStreamHeads();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date,
    options: GroupCommitOptions = {},
    private readonly onCommitted: () => void = () => undefined,
    /** Each commit's notification names this writer (see CommitNotifications). */
    private readonly announcedAs = '',
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  get stats(): GroupCommitStats {
    return { ...this.counters };
  }

  submit(requests: PreparedAppend[]): Promise<AppendOutcome[]> {
    const outcomes = requests.map(
      (request) => new Promise<AppendOutcome>((resolve, reject) => this.queue.push({ request, resolve, reject })),
    );
    this.counters.requests += requests.length;
    if (!this.flushing) {
      this.flushing = true;
      // Let every append issued in the same tick join the first batch.
      setImmediate(() => void this.drain());
    }
    return Promise.all(outcomes);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.flush(this.queue.splice(0, this.maxBatchSize));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async flush(batch: Waiting[]): Promise<void> {
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    try {
      const outcomes = await this.commit(batch.map((waiting) => waiting.request));
      batch.forEach((waiting, index) => waiting.resolve(outcomes[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // Something in the batch is unwritable: isolate it so it fails alone. Expected versions make the
      // re-run safe even if the failed commit had in fact succeeded.
      for (const waiting of batch) {
        await this.commit([waiting.request]).then(([outcome]) => waiting.resolve(outcome), waiting.reject);
      }
    }
  }

  private async commit(requests: PreparedAppend[]): Promise<AppendOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(requests);
      } catch (error) {
        if (attempt >= this.maxAttempts || !isRetryable(error)) throw error;
        this.counters.retries += 1;
        await pause(attempt);
      }
    }
  }

  private async commitOnce(requests: PreparedAppend[]): Promise<AppendOutcome[]> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    let open = false;
    try {
      await runner.connect();
      // One statement (TypeORM's startTransaction with a level sends two): each round trip here is paid per group.
      await runner.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      open = true;
      const { outcomes, conditionHeads } = await writeBatch(runner, requests, this.clock(), this.knownHeads, this.announcedAs);
      await runner.query('COMMIT');
      open = false;
      this.knownHeads.addCommitted(conditionHeads);
      this.counters.committedTransactions += 1;
      this.onCommitted();
      return outcomes;
    } catch (error) {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/** Jittered backoff so two retrying writers do not collide again in lockstep. */
function pause(attempt: number): Promise<void> {
  const ms = Math.random() * 5 * 2 ** attempt;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
