import { openDatabase } from '@trialstream/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@trialstream/event-store';
import { ensureTopic, KafkaEventPublisher } from '@trialstream/messaging';
import type { DataSource } from 'typeorm';
import { RELAY_MIGRATIONS } from '../../apps/relay/src/migrations';
import { Relay, type RelayOptions } from '../../apps/relay/src/relay';
import { PostgresRelayCheckpoints } from '../../apps/relay/src/relay-checkpoints';
import { relayEnds } from '../../apps/relay/src/relay-ends';
import { START_CHECKPOINT, type EventEnvelope } from '@trialstream/domain';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { anEvent } from '../event-store/event-store-harness';
import { deleteTopics, pause } from '../messaging/kafka-test-kit';

export interface RelayHarness {
  database: TestDatabase;
  dataSource: DataSource;
  /** The store as the relay reads it: events exactly as stored. */
  store: PostgresEventStore;
  topic: string;
  partitions: number;
  /** A relay in this process, publishing to the harness's topic; stopped by close(). */
  startRelay(options?: Partial<RelayOptions>): Relay;
  /** Every event readable right now, in store order. */
  storedEvents(): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/** A fresh database migrated for the store and the relay, and a fresh topic that already exists. */
export async function openRelayHarness(options: { partitions: number }): Promise<RelayHarness> {
  await assertKafkaReachable();
  const database = await createTestDatabase('relay');
  const dataSource = await openDatabase({ url: database.url, migrations: [...EVENT_STORE_MIGRATIONS, ...RELAY_MIGRATIONS], poolSize: 10 });
  const topic = uniqueTopic('relay');
  await ensureTopic({ brokers: TEST_KAFKA_BROKERS, topic, partitions: options.partitions });
  const store = new PostgresEventStore(dataSource);
  const relays: Relay[] = [];
  const publishers: KafkaEventPublisher[] = [];

  return {
    database,
    dataSource,
    store,
    topic,
    partitions: options.partitions,
    startRelay(relayOptions = {}) {
      const publisher = new KafkaEventPublisher({
        brokers: TEST_KAFKA_BROKERS,
        topic,
        partitions: options.partitions,
        clientId: 'relay-test',
      });
      // Wired as RelayModule wires it.
      const relay = new Relay(
        { ...relayEnds(store, publisher), checkpoints: new PostgresRelayCheckpoints(dataSource) },
        { name: topic, idlePollMs: 50, ...relayOptions },
      );
      publishers.push(publisher);
      relays.push(relay);
      relay.start();
      return relay;
    },
    async storedEvents() {
      const events: EventEnvelope[] = [];
      for (let checkpoint = START_CHECKPOINT; ;) {
        const page = await store.readAll(checkpoint, 1000);
        if (page.events.length === 0) return events;
        events.push(...page.events);
        checkpoint = page.checkpoint;
      }
    },
    async close() {
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all(publishers.map((publisher) => publisher.close()));
      await dataSource.destroy();
      await database.drop();
      await deleteTopics([topic]);
    },
  };
}

/** Store order: by writing transaction, then position. */
export function isInStoreOrder(events: EventEnvelope[]): boolean {
  return events.every((event, i) => {
    if (i === 0) return true;
    const previous = events[i - 1];
    const [tx, previousTx] = [BigInt(event.transactionId), BigInt(previous.transactionId)];
    return tx > previousTx || (tx === previousTx && BigInt(event.globalPosition) > BigInt(previous.globalPosition));
  });
}

export interface SteadyLoad {
  streams: string[];
  /** How many rounds, or a test's say on whether to start another one. */
  rounds: number | (() => boolean);
  eventsPerAppend: number;
  /** Rounds completed so far. */
  progress: { rounds: number };
}

/** Sites keep submitting: a round of appends to every stream, a short pause, the next round. */
export async function appendSteadily(store: PostgresEventStore, load: SteadyLoad, pauseMs = 100): Promise<void> {
  const { streams, rounds, eventsPerAppend, progress } = load;
  const another = typeof rounds === 'number' ? (round: number) => round < rounds : () => rounds();
  for (let round = 0; another(round); round++) {
    await Promise.all(
      streams.map(async (streamId) => {
        const outcome = await store.append({
          streamId,
          expectedVersion: round * eventsPerAppend,
          events: Array.from({ length: eventsPerAppend }, (_, i) => anEvent({ data: { visit: round * eventsPerAppend + i + 1 } })),
          siteId: 'site-101',
          actor: { userId: 'coordinator-101-a', role: 'site_coordinator' },
        });
        if (outcome.status !== 'appended') throw new Error(`append to ${streamId}: ${outcome.status}`);
      }),
    );
    progress.rounds = round + 1;
    await pause(pauseMs);
  }
}

/** Each event at its first delivery, in the order the topic delivered them. */
export function firstDeliveries(events: EventEnvelope[]): EventEnvelope[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.eventId) && Boolean(seen.add(event.eventId)));
}
