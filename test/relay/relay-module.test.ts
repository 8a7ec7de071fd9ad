import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, PlatformConfigModule } from '@trialstream/config';
import { DatabaseModule } from '@trialstream/database';
import { EVENT_STORE, EVENT_STORE_MIGRATIONS, EventStoreModule, type PostgresEventStore } from '@trialstream/event-store';
import { RELAY_MIGRATIONS } from '../../apps/relay/src/migrations';
import { Relay } from '../../apps/relay/src/relay';
import { RelayModule } from '../../apps/relay/src/relay.module';
import type { EventEnvelope } from '@trialstream/domain';
import { anAppend } from '../event-store/event-store-harness';
import { deleteTopics, TopicReader } from '../messaging/kafka-test-kit';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { waitUntil } from '../support/eventually';

@Module({})
class HostAppModule {}

describe('RelayModule inside another application', () => {
  let database: TestDatabase;
  const topic = uniqueTopic('relay-module');

  beforeAll(async () => {
    await assertKafkaReachable();
    database = await createTestDatabase('relaymod');
  });
  afterAll(async () => {
    await database?.drop();
    await deleteTopics([topic]);
  });

  function hostApp(env: NodeJS.ProcessEnv): Promise<INestApplicationContext> {
    const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'error', ...env });
    return NestFactory.createApplicationContext(
      {
        module: HostAppModule,
        imports: [
          PlatformConfigModule.forRoot(config),
          DatabaseModule.forRoot({
            databaseUrl: config.databaseUrl,
            dataDir: config.dataDir,
            poolSize: 5,
            migrations: [...EVENT_STORE_MIGRATIONS, ...RELAY_MIGRATIONS],
          }),
          EventStoreModule,
          RelayModule.forRoot(),
        ],
      },
      { logger: false, abortOnError: false },
    );
  }

  it('starts with the application, is woken by its commits, publishes what it appends, and stops with it', async () => {
    const app = await hostApp({ KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topic, KAFKA_PARTITIONS: '2' });
    const relay = app.get(Relay);
    let reader: TopicReader | undefined;
    try {
      await app.init();
      expect(relay.metrics.running).toBe(true);
      await relay.caughtUp();
      const notified = jest.spyOn(relay, 'notify');

      const outcome = await app.get<PostgresEventStore>(EVENT_STORE).append(anAppend());
      if (outcome.status !== 'appended') throw new Error(outcome.status);
      expect(notified).toHaveBeenCalled();
      await waitUntil(
        () => relay.metrics.eventsPublished === 1,
        30_000,
        () => 'the appended event published',
      );

      reader = await TopicReader.start(topic);
      const [message] = await reader.received(1);
      expect((JSON.parse(message.value!) as EventEnvelope).eventId).toBe(outcome.events[0].eventId);
    } finally {
      await reader?.stop();
      await app.close();
    }
    expect(relay.metrics.running).toBe(false);
  });

  it('refuses to start without KAFKA_BROKERS, naming the setting', async () => {
    await expect(hostApp({ KAFKA_BROKERS: '' })).rejects.toThrow(/set KAFKA_BROKERS/);
  });
});
