import { Logger } from '@nestjs/common';
import type { Checkpoint } from '@trialstream/domain';
import { RetryBackoff, type RetryBackoffOptions } from './retry-backoff';
import { RereadSchedule } from '@trialstream/event-store';
import { WakeableSleep } from './wakeable-sleep';
import type { RelayLeadership } from './relay-leadership';

/**
 * The store's catch-up read: committed events after a checkpoint, in (transaction, position) order. The relay only
 * passes them on, so they may come in any form the sink takes (the platform's: JSON text, see relayEnds).
 */
export interface EventLog<E = unknown> {
  readAll(after: Checkpoint, limit: number): Promise<{ events: E[]; checkpoint: Checkpoint }>;
}

/** Where the relay remembers how far it published, so a restart resumes there. */
export interface RelayCheckpointStore {
  load(name: string): Promise<Checkpoint>;
  save(name: string, checkpoint: Checkpoint): Promise<void>;
}

export interface EventSink<E = unknown> {
  /** Resolves once every event is durably published, in the order given. */
  publish(events: E[]): Promise<void>;
}

export interface RelayDependencies<E = unknown> {
  log: EventLog<E>;
  checkpoints: RelayCheckpointStore;
  sink: EventSink<E>;
  /** Absent: this relay is the only one and always publishes. */
  leadership?: RelayLeadership;
}

export interface RelayOptions {
  /** The checkpoint's name: one per destination (by convention the topic). */
  name: string;
  /** Events read and published per round (default 500). */
  pageSize?: number;
  /** How long an idle relay waits before looking again when nobody calls notify() (default 150 ms). */
  idlePollMs?: number;
  /** Waits between attempts after a failure (default 200 ms doubling up to 10 s). */
  retry?: Partial<RetryBackoffOptions>;
  /** How often a standby tries to take the lead (default 1 s). */
  standbyRetryMs?: number;
}

export interface RelayMetrics {
  running: boolean;
  /** leader: publishes; standby: another relay holds the lead, this one takes over when it goes. */
  role: 'leader' | 'standby';
  /** The checkpoint of the last page published and stored (or the one loaded at start). */
  lastPublished: Checkpoint | null;
  lastPublishedAt: string | null;
  /** Events published by this process; after a crash, some may be published a second time. */
  eventsPublished: number;
  pagesPublished: number;
  /** Catch-up reads completed, empty ones included. */
  reads: number;
  /** Failed attempts since the last success; above 0 the relay is retrying. */
  consecutiveFailures: number;
  lastError: string | null;
  /** When the relay last published a page or found nothing left to publish (epoch ms); a stall shows as an old value. */
  lastProgressAt: number;
}

interface Page<E> {
  events: E[];
  checkpoint: Checkpoint;
  /** The number of the read that returned it, counted from 1. */
  read: number;
}

interface IdleWaiter {
  afterRead: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Publishes every committed event of the store, in store order, and then stores how far it got: at least once.
 * A crash between the two publishes the page again (consumers are idempotent); a failure (broker or database
 * unavailable) is retried with backoff from the last stored checkpoint, so no event is ever passed over.
 */
export class Relay<E = unknown> {
  private readonly logger = new Logger('Relay');
  private readonly pageSize: number;
  private readonly idlePollMs: number;
  private readonly rereads = new RereadSchedule();
  private readonly backoff: RetryBackoff;
  private readonly idleSleep = new WakeableSleep();
  private readonly retrySleep = new WakeableSleep();
  /** Where the next page starts: the end of the last page acknowledged (its checkpoint may still be on its way). */
  private checkpoint: Checkpoint | null = null;
  /** The checkpoint last stored (or loaded): what a restart, and this relay after a failure, resumes from. */
  private stored: Checkpoint | null = null;
  /** The store of the last acknowledged page's checkpoint, while it overlaps the next page's publish. */
  private storing: Promise<void> | null = null;
  private loop: Promise<void> | null = null;
  private readAhead: Promise<Page<E>> | null = null;
  private stopping = false;
  private readsStarted = 0;
  private idleWaiters: IdleWaiter[] = [];
  private leading: boolean;
  private readonly counters: Omit<RelayMetrics, 'running' | 'role' | 'lastPublished'> = {
    lastPublishedAt: null,
    eventsPublished: 0,
    pagesPublished: 0,
    reads: 0,
    consecutiveFailures: 0,
    lastError: null,
    lastProgressAt: Date.now(),
  };

  constructor(
    private readonly dependencies: RelayDependencies<E>,
    private readonly options: RelayOptions,
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.idlePollMs = options.idlePollMs ?? 150;
    this.backoff = new RetryBackoff(options.retry);
    this.leading = !dependencies.leadership;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.counters.lastProgressAt = Date.now();
    this.loop = this.run();
  }

  /** New events were appended: an idle relay looks at once instead of at its next poll. */
  notify(): void {
    this.rereads.notified();
    this.idleSleep.wake();
  }

  /** Resolves once a read that began after this call found nothing left to publish. */
  caughtUp(): Promise<void> {
    if (!this.loop || this.stopping) return Promise.reject(new Error('the relay is not running'));
    const waiter = new Promise<void>((resolve, reject) => this.idleWaiters.push({ afterRead: this.readsStarted, resolve, reject }));
    this.notify();
    return waiter;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.idleSleep.wake();
    this.retrySleep.wake();
    if (!this.loop) return;
    await this.loop;
    this.loop = null;
    // A page read ahead is dropped: the next start reads it again from the stored checkpoint.
    await this.readAhead?.catch(() => undefined);
    this.readAhead = null;
    const at = this.stored ? ` at ${this.stored.transactionId}/${this.stored.globalPosition}` : '';
    this.logger.log(`stopped${at} after publishing ${this.counters.eventsPublished} event(s)`);
    for (const waiter of this.idleWaiters.splice(0)) waiter.reject(new Error('the relay stopped'));
    await this.dependencies.leadership?.release();
  }

  get metrics(): RelayMetrics {
    const role = this.leading ? 'leader' : 'standby';
    return { running: this.loop !== null && !this.stopping, role, lastPublished: this.stored, ...this.counters };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.confirmLeadership())) {
          await this.idleSleep.sleep(this.options.standbyRetryMs ?? 1_000);
          continue;
        }
        const published = await this.publishNextPage();
        this.recovered();
        if (published === 0) await this.idleSleep.sleep(this.rereads.delayAfterEmptyRead(this.idlePollMs));
      } catch (error) {
        await this.failed(error as Error);
      }
    }
    // The last page's checkpoint is stored before the relay says it stopped; a failure only means that page goes again.
    await this.checkpointStored().catch((error: Error) => this.logger.error(`storing the last checkpoint failed: ${error.message}`));
  }

  /**
   * Re-checked before every page: a relay that lost the lead stops before its next page, so a page in flight is
   * the most two relays ever publish twice. A new leader starts from the stored checkpoint, not from what it
   * knew when it last led.
   */
  private async confirmLeadership(): Promise<boolean> {
    if (!this.dependencies.leadership) return true;
    const leading = await this.dependencies.leadership.confirm();
    if (leading !== this.leading) {
      const dropped = this.readAhead;
      this.readAhead = null;
      await dropped?.catch(() => undefined);
      await this.checkpointStored().catch(() => undefined);
      this.checkpoint = leading ? await this.dependencies.checkpoints.load(this.options.name) : null;
      this.stored = this.checkpoint;
      // A standby made no progress by design: its stall clock starts when it takes the lead.
      this.counters.lastProgressAt = Date.now();
      this.leading = leading;
    }
    return leading;
  }

  /**
   * Reads one page after the last one published, publishes it, and stores its checkpoint while the next page is
   * published; returns the count. Pages go out strictly one after the other, and a checkpoint is stored only once its
   * page and every page before it were acknowledged, and only after the previous checkpoint was stored.
   */
  private async publishNextPage(): Promise<number> {
    if (!this.checkpoint) {
      this.checkpoint = await this.dependencies.checkpoints.load(this.options.name);
      this.stored = this.checkpoint;
    }
    const reading = this.readAhead ?? this.readAfter(this.checkpoint);
    this.readAhead = null;
    const page = await reading;
    if (page.events.length === 0) {
      // Caught up means stored: a waiter may stop the relay and expect a restart to begin after what it saw published.
      await this.checkpointStored();
      this.counters.lastProgressAt = Date.now();
      this.resolveIdleWaiters(page.read);
      return 0;
    }
    // The next page is read while this one goes out; it is used only if this one is published.
    const next = this.readAfter(page.checkpoint);
    next.catch(() => undefined);
    try {
      await this.dependencies.sink.publish(page.events);
      await this.checkpointStored();
    } catch (error) {
      await next.catch(() => undefined);
      throw error;
    }
    this.readAhead = next;
    this.checkpoint = page.checkpoint;
    this.storing = this.store(page);
    // Its failure is raised by the next checkpointStored(); until then it must not count as unhandled.
    this.storing.catch(() => undefined);
    return page.events.length;
  }

  private async store(page: Page<E>): Promise<void> {
    await this.dependencies.checkpoints.save(this.options.name, page.checkpoint);
    this.stored = page.checkpoint;
    this.counters.eventsPublished += page.events.length;
    this.counters.pagesPublished += 1;
    this.counters.lastPublishedAt = new Date().toISOString();
    this.counters.lastProgressAt = Date.now();
  }

  /** Waits for the checkpoint being stored, if any; rejects if it could not be. */
  private async checkpointStored(): Promise<void> {
    const storing = this.storing;
    this.storing = null;
    await storing;
  }

  private async readAfter(checkpoint: Checkpoint): Promise<Page<E>> {
    const read = ++this.readsStarted;
    const page = await this.dependencies.log.readAll(checkpoint, this.pageSize);
    this.counters.reads += 1;
    return { ...page, read };
  }

  private resolveIdleWaiters(read: number): void {
    const [done, waiting] = partition(this.idleWaiters, (waiter) => waiter.afterRead < read);
    this.idleWaiters = waiting;
    for (const waiter of done) waiter.resolve();
  }

  private recovered(): void {
    if (this.counters.consecutiveFailures === 0) return;
    this.logger.log(`publishing again after ${this.counters.consecutiveFailures} failed attempt(s)`);
    this.counters.consecutiveFailures = 0;
    this.counters.lastError = null;
  }

  private async failed(error: Error): Promise<void> {
    // Whatever was published after the stored checkpoint goes again: at least once, never passed over.
    await this.checkpointStored().catch(() => undefined);
    const dropped = this.readAhead;
    this.readAhead = null;
    await dropped?.catch(() => undefined);
    this.checkpoint = this.stored;
    const attempt = ++this.counters.consecutiveFailures;
    this.counters.lastError = error.message;
    const delay = this.backoff.delayAfter(attempt);
    const from = this.stored ? `${this.stored.transactionId}/${this.stored.globalPosition}` : 'the stored checkpoint';
    this.logger.error(`publishing after ${from} failed (attempt ${attempt}), retrying in ${delay} ms: ${error.message}`);
    await this.retrySleep.sleep(delay);
  }
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
