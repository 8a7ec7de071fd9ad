import { RereadSchedule } from '@trialstream/event-store';
import { describeError } from '@trialstream/config';
import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import { consoleLogger, type ProjectionLogger } from './logger';
import type { BatchResult, ProjectionRunner, StreamSource } from './runner';

/** The event store as a catch-up source: PostgresEventStore satisfies it. */
export interface CatchUpSource extends StreamSource {
  readAll(after: Checkpoint, limit: number): Promise<Page>;
}

/** Events in catch-up order and the checkpoint after the last of them. */
export interface Page {
  events: EventEnvelope[];
  checkpoint: Checkpoint;
}

/**
 * Events per read and per transaction unless told otherwise (store feed and replay). Not larger: right after
 * a bulk load, while the events table's statistics still describe a smaller table, PostgreSQL reads a page of
 * 5,000 by sorting every event after the checkpoint instead of walking the catch-up index (measured: three
 * times the database time of pages of 1,000, which is what made the bench's rebuild figure swing).
 */
export const CATCH_UP_PAGE_SIZE = 1000;

export interface StoreFeedOptions {
  /** Events per read and per transaction. */
  pageSize?: number;
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
 * Embedded mode's delivery: reads the store from the projection's own checkpoint, page by page, and
 * applies each page as one batch. When nothing is left it waits for `notify()` (the app calls it after
 * appending) or polls, because events of a transaction that commits late become readable only then.
 */
export class StoreFeed {
  private readonly pageSize: number;
  private readonly idlePollMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: ProjectionLogger;
  private running: Promise<void> | null = null;
  private stopping = false;
  private notified = false;
  private wake: (() => void) | null = null;
  private reads = 0;
  private idleWaiters: Array<{ afterRead: number; resolve: () => void }> = [];
  private readonly rereads = new RereadSchedule();

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: CatchUpSource,
    options: StoreFeedOptions = {},
  ) {
    this.pageSize = options.pageSize ?? CATCH_UP_PAGE_SIZE;
    this.idlePollMs = options.idlePollMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.logger = options.logger ?? consoleLogger(`projection ${runner.projection.name}`);
  }

  /** Reads and applies until the store has nothing more to give right now. */
  async catchUp(): Promise<CatchUpResult> {
    let checkpoint = await this.runner.checkpoint();
    let total: BatchResult = { applied: 0, skipped: 0, filled: 0, deadLettered: 0 };
    let next = this.read(checkpoint);
    for (;;) {
      const page = await next;
      if (page.events.length === 0) return { ...total, checkpoint };
      next = this.read(page.checkpoint);
      total = add(total, await this.runner.applyBatch(page.events, page.checkpoint));
      checkpoint = page.checkpoint;
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
    this.notified = true;
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
    let checkpoint: Checkpoint | null = null;
    let next: { read: number; page: Promise<Page> } | null = null;
    let failures = 0;
    while (!this.stopping) {
      try {
        checkpoint ??= await this.runner.checkpoint();
        const started: { read: number; page: Promise<Page> } = next ?? this.startRead(checkpoint);
        next = null;
        const page = await started.page;
        if (page.events.length === 0) {
          this.releaseIdleWaiters(started.read);
          if (!this.notified) await this.pause(this.rereads.delayAfterEmptyRead(this.idlePollMs));
          continue;
        }
        // A full page means more is probably waiting: read it while this one is applied.
        if (page.events.length === this.pageSize) next = this.startRead(page.checkpoint);
        await this.runner.applyBatch(page.events, page.checkpoint);
        checkpoint = page.checkpoint;
        failures = 0;
      } catch (error) {
        failures += 1;
        // The failed batch kept nothing; resume from what the database says was applied.
        checkpoint = null;
        next = null;
        const delay = Math.min(this.maxBackoffMs, this.idlePollMs * 2 ** Math.min(failures, 16));
        this.logger.error(`store feed failed (attempt ${failures}, retrying in ${delay} ms): ${describeError(error)}`);
        await this.pause(delay);
      }
    }
  }

  /** A read that may run while a batch is applied; a failure surfaces when the page is awaited. */
  private read(after: Checkpoint): Promise<Page> {
    const page = this.store.readAll(after, this.pageSize);
    // Awaited later; until then a failure must not count as unhandled.
    page.catch(() => undefined);
    return page;
  }

  /** Numbered when started, so that `whenIdle` waits for a read that began after it was called. */
  private startRead(after: Checkpoint): { read: number; page: Promise<Page> } {
    this.notified = false;
    return { read: ++this.reads, page: this.read(after) };
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
