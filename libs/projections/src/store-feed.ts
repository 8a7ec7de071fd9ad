import { RereadSchedule } from '@trialstream/event-store';
import { describeError } from '@trialstream/config';
import type { Checkpoint } from '@trialstream/domain';
import { consoleLogger, type ProjectionLogger } from './logger';
import { PageReadAhead, type CatchUpSource, type ReadAheadOptions } from './read-ahead';
import type { BatchResult, ProjectionRunner } from './runner';

export interface StoreFeedOptions extends Pick<ReadAheadOptions, 'pageSize' | 'pagesPerBatch'> {
  /** How long to wait for new events when idle, unless `notify()` comes first. */
  idlePollMs?: number;
  /** Longest wait between retries after a failure (doubling from idlePollMs). */
  maxBackoffMs?: number;
  logger?: ProjectionLogger;
}

export interface CatchUpResult extends BatchResult {
  checkpoint: Checkpoint;
}

const add = (total: BatchResult, batch: BatchResult): BatchResult => ({
  applied: total.applied + batch.applied,
  skipped: total.skipped + batch.skipped,
  filled: total.filled + batch.filled,
  deadLettered: total.deadLettered + batch.deadLettered,
});

/**
 * Embedded mode's delivery: reads the store from the projection's own checkpoint, page by page and ahead of
 * the batch being applied, and applies what it has read as one batch. When nothing is left it waits for `notify()` (the app calls it after
 * appending) or polls, because events of a transaction that commits late become readable only then.
 */
export class StoreFeed {
  private readonly idlePollMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: ProjectionLogger;
  private running: Promise<void> | null = null;
  private stopping = false;
  /** The number of the last read that had started when `notify` was last called. */
  private notifiedDuringRead = -1;
  private wake: (() => void) | null = null;
  private reads = 0;
  private idleWaiters: Array<{ afterRead: number; resolve: () => void }> = [];
  private readonly rereads = new RereadSchedule();

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: CatchUpSource,
    private readonly options: StoreFeedOptions = {},
  ) {
    this.idlePollMs = options.idlePollMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.logger = options.logger ?? consoleLogger(`projection ${runner.projection.name}`);
  }

  /** Reads and applies until the store has nothing more to give right now. */
  async catchUp(): Promise<CatchUpResult> {
    const pages = this.readAhead(await this.runner.checkpoint());
    let total: BatchResult = { applied: 0, skipped: 0, filled: 0, deadLettered: 0 };
    for (;;) {
      const batch = await pages.take();
      if (batch.events.length === 0) return { ...total, checkpoint: batch.checkpoint };
      total = add(total, await this.runner.applyBatch(batch.events, batch.checkpoint));
    }
  }

  /** Starts following the store in the background; failures are logged and retried with backoff. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.follow();
  }

  /** New events were appended: look now instead of at the next poll. */
  notify(): void {
    this.notifiedDuringRead = this.reads;
    this.rereads.notified();
    this.wake?.();
  }

  /** Resolves once everything readable when it was called has been applied (the feed must be started). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.reject(new Error('the store feed is not started'));
    return new Promise((resolve) => this.idleWaiters.push({ afterRead: this.reads, resolve }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async follow(): Promise<void> {
    let pages: PageReadAhead | null = null;
    let failures = 0;
    while (!this.stopping) {
      try {
        pages ??= this.readAhead(await this.runner.checkpoint());
        const batch = await pages.take();
        if (batch.events.length === 0) {
          // The read that found nothing is the last one started: nothing reads ahead of an empty page.
          this.releaseIdleWaiters(this.reads);
          if (this.notifiedDuringRead < this.reads) await this.pause(this.rereads.delayAfterEmptyRead(this.idlePollMs));
          continue;
        }
        await this.runner.applyBatch(batch.events, batch.checkpoint);
        failures = 0;
      } catch (error) {
        failures += 1;
        // The failed batch kept nothing, and pages read ahead of it are dropped: resume from what the database says was applied.
        pages = null;
        const delay = Math.min(this.maxBackoffMs, this.idlePollMs * 2 ** Math.min(failures, 16));
        this.logger.error(`store feed failed (attempt ${failures}, retrying in ${delay} ms): ${describeError(error)}`);
        await this.pause(delay);
      }
    }
  }

  /** Pages from `after`, read ahead of the batches applied; each read numbered as it starts, for `whenIdle`. */
  private readAhead(after: Checkpoint): PageReadAhead {
    const { pageSize, pagesPerBatch } = this.options;
    return new PageReadAhead(this.store, after, { pageSize, pagesPerBatch, onRead: () => ++this.reads });
  }

  private releaseIdleWaiters(read: number): void {
    const ready = this.idleWaiters.filter((waiter) => waiter.afterRead < read);
    this.idleWaiters = this.idleWaiters.filter((waiter) => waiter.afterRead >= read);
    for (const waiter of ready) waiter.resolve();
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
