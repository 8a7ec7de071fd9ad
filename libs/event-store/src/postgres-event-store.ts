import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import { CommitNotifications } from './commit-notifications';
import type { AppendOutcome, AppendRequest, ReadAllOptions, ReadStreamOptions, StoredSubmission, Upcaster } from './contracts';
import { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './group-commit';
import { verifyIntegrity, type IntegrityReport } from './integrity';
import { prepareAppend } from './prepared-append';
import * as reader from './reader';
import { rowsOf } from './sql';
import { writeBatch } from './write-batch';
import type { StoredEventJson } from './row-mapping';

export interface EventStoreOptions {
  upcast?: Upcaster;
  /** Source of recorded-at; the server's clock unless a test pins it. */
  clock?: () => Date;
  groupCommit?: GroupCommitOptions;
}

/** The append-only log in PostgreSQL: optimistic appends with group commit, catch-up reads, chain verification. */
export class PostgresEventStore {
  private readonly committer: GroupCommitter;
  private readonly upcast: Upcaster | undefined;
  private readonly committedListeners = new Set<() => void>();
  /** The name this store's commits are announced under, so that its own listeners hear them once, in-process. */
  private readonly name = randomUUID();
  private othersCommits: CommitNotifications | null = null;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.upcast = options.upcast;
    this.committer = new GroupCommitter(
      dataSource,
      options.clock ?? (() => new Date()),
      options.groupCommit,
      () => this.signalCommitted(),
      this.name,
    );
  }

  /** Appends if the stream is still at `expectedVersion`; concurrent calls share a transaction. */
  async append(request: AppendRequest): Promise<AppendOutcome> {
    const [outcome] = await this.committer.submit([prepareAppend(request)]);
    return outcome;
  }

  /** Several independent appends, each with its own check and outcome (not all-or-nothing). */
  async appendBatch(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    return this.committer.submit(requests.map(prepareAppend));
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    return reader.readStream(this.dataSource, streamId, options, this.upcast);
  }

  /** A submission stored earlier under this scope and id, so a retry can be answered before deciding again. */
  findSubmission(scope: string, submissionId: string): Promise<StoredSubmission | null> {
    return reader.findSubmission(this.dataSource, scope, submissionId);
  }

  /** The stream's current version; 0 when it has no events. */
  streamVersion(streamId: string): Promise<number> {
    return reader.streamVersion(this.dataSource, streamId);
  }

  readAll(after: Checkpoint, limit: number, options: ReadAllOptions = {}): Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint }> {
    return reader.readAll(this.dataSource, after, limit, options, this.upcast);
  }

  /** readAll's events exactly as stored (whatever the upcaster), as the JSON of their envelopes: for passing them on. */
  readAllJson(
    after: Checkpoint,
    limit: number,
    options: ReadAllOptions = {},
  ): Promise<{ events: StoredEventJson[]; checkpoint: Checkpoint }> {
    return reader.readAllJson(this.dataSource, after, limit, options);
  }

  /** Events after a reader's checkpoint, counted up to `cap`: its lag. */
  countEventsAfter(after: Checkpoint, cap: number): Promise<number> {
    return reader.countEventsAfter(this.dataSource, after, cap);
  }

  /** For verifying roles only: each event's chain salt (events of the unsalted format have none). */
  chainSalts(eventIds: readonly string[]): Promise<Map<string, string>> {
    return reader.chainSalts(this.dataSource, eventIds);
  }

  verifyIntegrity(): Promise<IntegrityReport> {
    return verifyIntegrity(this.dataSource);
  }

  /**
   * Called after each transaction that appended events to this database, so readers (the embedded feed, the relay)
   * wake at once instead of waiting for their next poll: in-process for this store's own commits, through
   * LISTEN/NOTIFY for every other writer's (another process, the admin CLI), on a connection opened while anyone
   * listens. Returns the unsubscribe function.
   */
  onCommitted(listener: () => void): () => void {
    this.committedListeners.add(listener);
    const url = (this.dataSource.options as { url?: string }).url;
    if (!this.othersCommits && url) {
      this.othersCommits = new CommitNotifications({ url, ownName: this.name, onCommit: () => this.signalCommitted() });
    }
    return () => {
      this.committedListeners.delete(listener);
      if (this.committedListeners.size > 0 || !this.othersCommits) return;
      void this.othersCommits.stop();
      this.othersCommits = null;
    };
  }

  /** Whether other writers' commits are heard now; null while nobody listens for commits. */
  get listeningForOthersCommits(): boolean | null {
    return this.othersCommits ? this.othersCommits.listening : null;
  }

  /** How full PostgreSQL's notification queue is (0 to 1): a hung listener keeps it from being cleaned up. */
  async notificationQueueUsage(): Promise<number> {
    const [row] = await rowsOf<{ usage: number }>(this.dataSource, 'SELECT pg_notification_queue_usage() AS usage');
    return Number(row.usage);
  }

  private signalCommitted(): void {
    this.committedListeners.forEach((listener) => listener());
  }

  get groupCommitStats(): GroupCommitStats {
    return this.committer.stats;
  }
}

/**
 * Appends inside a transaction the caller already holds (commit and rollback stay with the caller),
 * bypassing group commit. A lost race for a submission id or a new stream throws `ConcurrentWriteError`:
 * roll back and try again.
 */
export async function appendInTransaction(
  runner: QueryRunner,
  requests: AppendRequest[],
  clock: () => Date = () => new Date(),
): Promise<AppendOutcome[]> {
  if (!runner.isTransactionActive) throw new Error('appendInTransaction needs an open transaction');
  return (await writeBatch(runner, requests.map(prepareAppend), clock())).outcomes;
}
