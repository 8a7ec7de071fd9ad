import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import { newPatientStream } from '../event-store/event-store-harness';
import { pause, TopicReader } from '../messaging/kafka-test-kit';
import { TEST_KAFKA_BROKERS } from '../support/kafka';
import { appendSteadily, firstDeliveries, openRelayHarness, type RelayHarness } from './relay-harness';
import type { RelayHealth } from '../../apps/relay/src/relay-health.controller';
import { AppProcess } from '../support/app-process';
import { waitUntil } from '../support/eventually';

const STREAMS = 40;
const ROUNDS = 15;
const EVENTS_PER_APPEND = 5;
const TOTAL = STREAMS * ROUNDS * EVENTS_PER_APPEND;
const PAGE_SIZE = 500;

const isAfter = (event: EventEnvelope, checkpoint: Checkpoint) =>
  BigInt(event.transactionId) > BigInt(checkpoint.transactionId) ||
  (event.transactionId === checkpoint.transactionId && BigInt(event.globalPosition) > BigInt(checkpoint.globalPosition));

const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [key(item)]: (counts[key(item)] ?? 0) + 1 }), {});

describe('relay process killed mid-stream', () => {
  let harness: RelayHarness;
  let reader: TopicReader;
  let relay: AppProcess | undefined;
  let appending: Promise<void> | undefined;
  beforeAll(async () => {
    harness = await openRelayHarness({ partitions: 4 });
    reader = await TopicReader.start(harness.topic);
  });
  afterAll(async () => {
    await relay?.stop('SIGKILL');
    await appending?.catch(() => undefined);
    await reader?.stop();
    await harness?.close();
  });

  /**
   * Locks the checkpoints table against writes, so the relay's next checkpoint write waits (after its page was sent)
   * until release. A table lock, not a row lock: a row lock would take a transaction id, and an open transaction id
   * is exactly what the relay's safe reads wait behind.
   */
  async function lockCheckpoint(): Promise<{ checkpoint: Checkpoint; release(): Promise<void> }> {
    const locker = harness.dataSource.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    await locker.query(`LOCK TABLE relay.checkpoints IN EXCLUSIVE MODE`);
    const [checkpoint] = await locker.query(
      `SELECT transaction_id::text AS "transactionId", global_position::text AS "globalPosition"
         FROM relay.checkpoints WHERE name = $1`,
      [harness.topic],
    );
    return {
      checkpoint,
      async release() {
        await locker.rollbackTransaction();
        await locker.release();
      },
    };
  }

  async function terminateSessionsOf(applicationName: string): Promise<void> {
    await harness.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
  }

  it('publishes every event of the store after a SIGKILL and a restart, repeating at most the page in flight', async () => {
    const env: Record<string, string> = {
      DATABASE_URL: harness.database.url,
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC: harness.topic,
      KAFKA_PARTITIONS: String(harness.partitions),
    };
    relay = await AppProcess.start('relay', env);
    // The only relay: it takes the lead (a PostgreSQL advisory lock) and reads its checkpoint.
    await waitUntil(
      async () => (await relay!.health<RelayHealth>()).role === 'leader',
      10_000,
      () => 'the relay to lead',
    );
    expect(await relay.health<RelayHealth>()).toMatchObject({ status: 'ok', eventsPublished: 0, lastPublishedPosition: '0' });

    const streams = Array.from({ length: STREAMS }, () => newPatientStream());
    const progress = { rounds: 0 };
    appending = appendSteadily(harness.store, { streams, rounds: ROUNDS, eventsPerAppend: EVENTS_PER_APPEND, progress });

    await waitUntil(
      async () => (await relay!.health<RelayHealth>()).eventsPublished >= 600,
      60_000,
      () => '600 events published',
    );
    // Held between publishing a page and storing its checkpoint: the one moment a crash makes it publish twice.
    const { checkpoint, release } = await lockCheckpoint();
    try {
      await waitUntil(
        () => reader.messages.some((message) => isAfter(JSON.parse(message.value!) as EventEnvelope, checkpoint)),
        30_000,
        () => 'a page published after the locked checkpoint',
      );
      await relay.stop('SIGKILL');
      // PostgreSQL notices a vanished client only when it next talks to it: end the dead relay's sessions, or its
      // waiting checkpoint write would still commit once the lock goes.
      await terminateSessionsOf('trialstream-relay');
    } finally {
      await release();
    }
    expect(progress.rounds).toBeLessThan(ROUNDS);

    await pause(300); // sites go on submitting while no relay runs
    relay = await AppProcess.start('relay', env);
    await appending;
    const stored = await harness.storedEvents();
    expect(stored).toHaveLength(TOTAL);

    const storedIds = new Set(stored.map((event) => event.eventId));
    const distinctOnTopic = () => new Set(reader.messages.map((message) => message.headers['event-id']));
    await waitUntil(
      () => distinctOnTopic().size >= TOTAL,
      90_000,
      () => `${TOTAL} distinct events on the topic (got ${distinctOnTopic().size})`,
    );

    const published = reader.messages.map((message) => JSON.parse(message.value!) as EventEnvelope);
    const deduplicated = firstDeliveries(published);
    expect(new Set(deduplicated.map((event) => event.eventId))).toEqual(storedIds);
    expect(countBy(deduplicated, (event) => event.streamId)).toEqual(countBy(stored, (event) => event.streamId));
    for (const streamId of streams) {
      const versions = deduplicated.filter((event) => event.streamId === streamId).map((event) => event.streamVersion);
      expect(versions).toEqual(Array.from({ length: ROUNDS * EVENTS_PER_APPEND }, (_, i) => i + 1));
    }
    // It resumed from its stored checkpoint: what was sent but not checkpointed went out again, and nothing more.
    expect(published.length - TOTAL).toBeGreaterThan(0);
    expect(published.length - TOTAL).toBeLessThanOrEqual(PAGE_SIZE);

    const last = stored[stored.length - 1];
    await waitUntil(
      async () => (await relay!.health<RelayHealth>()).lastPublishedPosition === last.globalPosition,
      10_000,
      () => 'the last checkpoint',
    );
    expect(await relay.health<RelayHealth>()).toMatchObject({
      status: 'ok',
      lastPublishedTransactionId: last.transactionId,
      consecutiveFailures: 0,
    });
  }, 240_000);

  it('stops on SIGTERM after storing its checkpoint, saying where it stopped', async () => {
    const running = relay!;
    const ended = await running.stop('SIGTERM');

    expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
    expect(running.log).toMatch(/stopped at \d+\/\d+ after publishing \d+ event\(s\)/);
  }, 30_000);
});
