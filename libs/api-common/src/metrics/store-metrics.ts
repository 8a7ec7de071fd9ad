import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { Metrics } from './metrics';

/** Appends and group commits of this process's store: rate(appends) / rate(commits) is the mean group size. */
@Injectable()
export class StoreMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Optional() @Inject(EVENT_STORE) private readonly store?: PostgresEventStore,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (!store?.groupCommitStats) return;
    this.metrics.counter(
      'trialstream_appends_total',
      'Single appends requested of the store by this process',
      () => store.groupCommitStats.requests,
    );
    this.metrics.counter(
      'trialstream_group_commits_total',
      'Transactions that committed one group of appends',
      () => store.groupCommitStats.committedTransactions,
    );
    this.metrics.gauge('trialstream_group_commit_largest_size', 'Most appends committed in one transaction so far', [], (set) =>
      set({}, store.groupCommitStats.largestBatch),
    );
    this.metrics.counter(
      'trialstream_group_commit_retries_total',
      'Group commits retried after a conflict',
      () => store.groupCommitStats.retries,
    );
    this.metrics.gauge(
      'trialstream_commit_listener_up',
      "1 while this process hears other writers' commits (LISTEN), 0 while it is reconnecting; absent when nothing here listens",
      [],
      (set) => {
        const listening = store.listeningForOthersCommits;
        if (listening !== null) set({}, listening ? 1 : 0);
      },
    );
    this.metrics.gauge(
      'trialstream_notification_queue_usage',
      "Fraction of PostgreSQL's notification queue in use (pg_notification_queue_usage): grows while a listener hangs",
      [],
      async (set) => set({}, await store.notificationQueueUsage()),
    );
  }
}
