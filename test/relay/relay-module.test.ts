import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, PlatformConfigModule } from '@trialstream/config';
import { DatabaseModule, openDatabase } from '@trialstream/database';
import { EVENT_STORE, EVENT_STORE_MIGRATIONS, EventStoreModule, PostgresEventStore, type AppendRequest } from '@trialstream/event-store';
import { RELAY_MIGRATIONS } from '../../apps/relay/src/migrations';
import { Relay } from '../../apps/relay/src/relay';
import { RelayModule } from '../../apps/relay/src/relay.module';
import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  DEFAULT_TRIAL_STREAMS,
  draftTrialEvent,
  type EventEnvelope,
  type ProtocolActivated,
  type ProtocolDefinition,
} from '@trialstream/domain';
import { anAppend, anEvent } from '../event-store/event-store-harness';
import { deleteTopics, TopicReader } from '../messaging/kafka-test-kit';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { waitUntil } from '../support/eventually';

@Module({})
class HostAppModule {}

/** An application that hosts the relay without the protocol module: its PROTOCOL is the built-in one, as in a relay of its own. */
function hostAppOn(
  database: TestDatabase,
  env: NodeJS.ProcessEnv,
  relay: { appendsHere: boolean; idlePollMs?: number } = { appendsHere: true },
): Promise<INestApplicationContext> {
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
        ...(relay.appendsHere ? [EventStoreModule] : []),
        RelayModule.forRoot({ idlePollMs: relay.idlePollMs }),
      ],
    },
    { logger: false, abortOnError: false },
  );
}

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

  const hostApp = (env: NodeJS.ProcessEnv) => hostAppOn(database, env);

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

  it("in a process of its own, is woken by another process's commit at once, not at its next poll", async () => {
    const app = await hostAppOn(
      database,
      { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topic, KAFKA_PARTITIONS: '2' },
      { appendsHere: false, idlePollMs: 120_000 },
    );
    const relay = app.get(Relay);
    const elsewhere = await openDatabase({ url: database.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: 2 });
    try {
      await app.init();
      await relay.caughtUp();
      const published = relay.metrics.eventsPublished;
      // The relay read the log once it started and then sleeps a whole idle poll unless something wakes it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const outcome = await new PostgresEventStore(elsewhere).append(anAppend());
      if (outcome.status !== 'appended') throw new Error(outcome.status);
      await waitUntil(
        () => relay.metrics.eventsPublished === published + 1,
        15_000,
        () => "the other process's event published well before the 120 s poll",
      );
    } finally {
      await app.close();
      await elsewhere.destroy();
    }
  });

  it('refuses to start without KAFKA_BROKERS, naming the setting', async () => {
    await expect(hostApp({ KAFKA_BROKERS: '' })).rejects.toThrow(/set KAFKA_BROKERS/);
  });
});

describe("the relay seals what the trial's protocol versions mask", () => {
  let database: TestDatabase;
  const topic = uniqueTopic('relay-masking');
  const env = { KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_TOPIC: topic, KAFKA_PARTITIONS: '1' };
  /** A trial whose file masks IgM as well: the built-in protocol the relay process starts with does not. */
  const masksIgm: ProtocolDefinition = { ...ANTI_MAG_RITUXIMAB_PROTOCOL, maskedAnalytes: ['CD19', 'CD20', 'IGM'] };
  const trial = DEFAULT_TRIAL_STREAMS;

  beforeAll(async () => {
    await assertKafkaReachable();
    database = await createTestDatabase('relaymask');
  });
  afterAll(async () => {
    await database?.drop();
    await deleteTopics([topic]);
  });

  const appended = async (app: INestApplicationContext, request: Partial<AppendRequest>): Promise<EventEnvelope> => {
    const outcome = await app.get<PostgresEventStore>(EVENT_STORE).append(anAppend(request));
    if (outcome.status !== 'appended') throw new Error(outcome.status);
    return outcome.events[0];
  };
  const igmResult = (app: INestApplicationContext, streamId: string) =>
    appended(app, {
      streamId,
      events: [
        anEvent({ type: 'LabResulted', occurredAt: '2026-03-09', data: { analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' } }),
      ],
    });
  const published = async (app: INestApplicationContext, count: number) => {
    await waitUntil(
      () => app.get(Relay).metrics.eventsPublished === count,
      30_000,
      () => `${count} events published`,
    );
  };

  it('seals an IgM result on the topic after a version that masks IgM, logged while the relay runs or before it started', async () => {
    const first = await hostAppOn(database, env);
    let reader: TopicReader | undefined;
    let second: INestApplicationContext | undefined;
    try {
      await first.init();
      await appended(first, {
        streamId: trial.trial,
        siteId: null,
        events: [draftTrialEvent('ProtocolActivated', '2026-01-01T08:00:00.000Z', activation(masksIgm))],
      });
      const during = await igmResult(first, trial.patient('S01-01'));
      await published(first, 2);
      await first.close();

      // a relay started after the version was logged knows it from the trial stream
      second = await hostAppOn(database, env);
      await second.init();
      const after = await igmResult(second, trial.patient('S01-02'));
      await published(second, 1);

      reader = await TopicReader.start(topic);
      const onTopic = (await reader.received(3)).map((message) => JSON.parse(message.value!) as EventEnvelope);
      for (const result of [during, after]) {
        // The whole envelope, not a search of its text for the value: a recordedAt of hh:mm:12.5xx holds "12.5" too.
        const sent = onTopic.find((event) => event.eventId === result.eventId);
        expect(sent).toEqual({ ...result, data: { analyte: 'IGM', sealed: expect.stringMatching(/^fc1\.[^.]+\.[\w-]+$/) } });
      }
    } finally {
      await reader?.stop();
      await second?.close();
    }
  });
});

const activation = (definition: ProtocolDefinition): ProtocolActivated => ({
  protocolId: definition.id,
  version: 1,
  effectiveFrom: '2026-01-01',
  sourceSha256: 'sha-1',
  definition,
});
