import type { DataSource } from 'typeorm';
import { openDatabase } from '@trialstream/database';
import { appendInTransaction, EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@trialstream/event-store';
import { waitUntil } from '../support/eventually';
import { anAppend, openEventStoreHarness, type EventStoreHarness } from './event-store-harness';

/** Signals a store's listener received, and waits for more of them. */
class Heard {
  count = 0;
  readonly listener = () => void (this.count += 1);

  async atLeast(count: number, what: string): Promise<void> {
    await waitUntil(
      () => this.count >= count,
      10_000,
      () => `${what} (heard ${this.count} of ${count})`,
    );
  }
}

const listeningBackends = (dataSource: DataSource): Promise<Array<{ pid: number }>> =>
  dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'trialstream-commit-listener'`,
  );

describe("a store's commit signals across processes (LISTEN/NOTIFY)", () => {
  let harness: EventStoreHarness;
  /** Another process's connections to the same database. */
  let elsewhere: DataSource;

  beforeAll(async () => {
    harness = await openEventStoreHarness(5);
    elsewhere = await openDatabase({ url: harness.database.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: 3 });
  });
  afterAll(async () => {
    await elsewhere?.destroy();
    await harness?.close();
  });

  /** A store of this process listening, once it listens, and a store of another process writing. */
  async function listening() {
    const reading = harness.store();
    const heard = new Heard();
    const unsubscribe = reading.onCommitted(heard.listener);
    await heard.atLeast(1, 'the signal that listening started');
    return { reading, writing: new PostgresEventStore(elsewhere), heard, unsubscribe };
  }

  it("wakes a reader on another process's commit, hears its own store's once, and nothing of a rolled-back one", async () => {
    const { reading, writing, heard, unsubscribe } = await listening();
    try {
      const started = heard.count;

      await writing.append(anAppend());
      await heard.atLeast(started + 1, "the other process's commit");

      // Its own commit is signalled in-process; were it heard again through LISTEN, that would arrive before the
      // other process's later commit, which is delivered in commit order on the same connection.
      await reading.append(anAppend());
      await writing.append(anAppend());
      await heard.atLeast(started + 3, 'its own commit and the next one of the other process');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard.count).toBe(started + 3);

      const runner = elsewhere.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await appendInTransaction(runner, [anAppend()]);
        await runner.rollbackTransaction();
      } finally {
        await runner.release();
      }
      await writing.append(anAppend());
      await heard.atLeast(started + 4, 'the commit after the rolled-back one');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard.count).toBe(started + 4);
    } finally {
      unsubscribe();
    }
    await waitUntil(async () => (await listeningBackends(elsewhere)).length === 0, 10_000, 'the listening connection closed');
  });

  it('listens again after its connection is killed, signalling once when it does, and hears later commits', async () => {
    const { writing, heard, unsubscribe } = await listening();
    try {
      const [listener] = await listeningBackends(elsewhere);
      await elsewhere.query('SELECT pg_terminate_backend($1)', [listener.pid]);
      // Commits made while nobody listened are not heard: the new connection's first signal stands for them.
      await heard.atLeast(2, 'the signal that listening started again');
      expect((await listeningBackends(elsewhere)).map(({ pid }) => pid)).not.toContain(listener.pid);

      await writing.append(anAppend());
      await heard.atLeast(3, 'a commit after listening again');
    } finally {
      unsubscribe();
    }
  });
});
