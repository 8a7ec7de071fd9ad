import { KafkaEventPublisher, startEventConsumer } from '@trialstream/messaging';
import { KafkaFeed, ProjectionRunner, REGISTRY_PROJECTION, StoreFeed, createProjectionSchema } from '@trialstream/projections';
import { TEST_KAFKA_BROKERS, assertKafkaReachable, uniqueTopic } from '@trialstream/testing';
import type { EventEnvelope } from '@trialstream/domain';
import { deleteTopics } from '../messaging/kafka-test-kit';
import { openProjectionHarness, readAllOf, registrySnapshot, type ProjectionHarness } from './projection-harness';
import { recordTrial } from './trial-builder';
import { eventually } from '../support/eventually';

const quiet = { warn: () => undefined, error: () => undefined };

describe('feeding the registry through Kafka', () => {
  let harness: ProjectionHarness;
  let events: EventEnvelope[];
  let fromStore: Awaited<ReturnType<typeof registrySnapshot>>;
  const topics: string[] = [];
  let feed: KafkaFeed | undefined;

  beforeAll(async () => {
    await assertKafkaReachable();
    harness = await openProjectionHarness();
    const trial = await recordTrial(harness.store, 6);
    events = await readAllOf(harness.store, trial.events.length);
    await createProjectionSchema(harness.dataSource, REGISTRY_PROJECTION, 'registry_from_store');
    const storeFed = new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store, { schema: 'registry_from_store' });
    await new StoreFeed(storeFed, harness.store).catchUp();
    fromStore = await registrySnapshot(harness.dataSource, 'registry_from_store');
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await harness.dataSource.query(`DROP SCHEMA IF EXISTS registry_kafka CASCADE`);
  });
  afterAll(async () => {
    await deleteTopics(topics).catch(() => undefined);
    await harness?.close();
  });

  async function publish(topic: string, published: EventEnvelope[]): Promise<void> {
    const publisher = new KafkaEventPublisher({
      brokers: TEST_KAFKA_BROKERS,
      topic,
      partitions: 3,
      clientId: 'projection-test-relay',
      logLevel: 'error',
    });
    try {
      await publisher.publish(published);
    } finally {
      await publisher.close();
    }
  }

  async function startKafkaFeed(topic: string, options: { catchUpFromStore?: boolean } = {}): Promise<void> {
    await createProjectionSchema(harness.dataSource, REGISTRY_PROJECTION, 'registry_kafka');
    const runner = new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store, {
      schema: 'registry_kafka',
      logger: quiet,
    });
    feed = new KafkaFeed(runner, {
      startConsumer: startEventConsumer,
      brokers: TEST_KAFKA_BROKERS,
      topic,
      partitions: 3,
      groupId: uniqueTopic('projection-registry'),
      logLevel: 'error',
      catchUpFrom: options.catchUpFromStore ? harness.store : undefined,
    });
    await feed.start();
  }

  it('equals the registry fed from the store, although the topic repeats events and lacks one', async () => {
    const topic = uniqueTopic('registry-feed');
    topics.push(topic);
    const lacking = events.find((event) => event.streamId.startsWith('patient-') && event.streamVersion === 2)!;
    // Published twice, as a relay restarting mid-stream would; one event never made it to the topic.
    const published = events.filter((event) => event !== lacking);
    await publish(topic, [...published.slice(0, 20), ...published]);

    await startKafkaFeed(topic);

    await eventually(async () => expect(await registrySnapshot(harness.dataSource, 'registry_kafka')).toEqual(fromStore));
  });

  it('first catches up from the store when its read model is empty and the topic holds only recent events', async () => {
    const topic = uniqueTopic('registry-recent');
    topics.push(topic);
    await publish(topic, events.slice(-5));

    await startKafkaFeed(topic, { catchUpFromStore: true });

    await eventually(async () => expect(await registrySnapshot(harness.dataSource, 'registry_kafka')).toEqual(fromStore));
  });
});
