import { ensureTopic, KafkaEventPublisher } from '@trialstream/messaging';
import type { EventEnvelope } from '@trialstream/domain';
import { anEnvelope } from '@trialstream/domain/testing';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { deleteTopics, TopicReader } from './kafka-test-kit';

describe('event publisher', () => {
  const topics: string[] = [];
  const publishers: KafkaEventPublisher[] = [];

  beforeAll(() => assertKafkaReachable());
  afterAll(async () => {
    await Promise.all(publishers.map((publisher) => publisher.close()));
    await deleteTopics(topics);
  });

  function publisherFor(partitions: number, overrides: Partial<ConstructorParameters<typeof KafkaEventPublisher>[0]> = {}) {
    const topic = uniqueTopic('publisher');
    if (!overrides.brokers) topics.push(topic);
    const publisher = new KafkaEventPublisher({ brokers: TEST_KAFKA_BROKERS, topic, partitions, clientId: 'publisher-test', ...overrides });
    publishers.push(publisher);
    return { topic, publisher };
  }

  it('creates the topic with the configured partitions on its first publish, and leaves it as it is afterwards', async () => {
    const { topic, publisher } = publisherFor(4);

    await publisher.publish([anEnvelope()]);

    expect(await ensureTopic({ brokers: TEST_KAFKA_BROKERS, topic, partitions: 7 })).toEqual({ created: false, partitions: 4 });
  });

  it('fails a publish the broker refuses, and still publishes the next one', async () => {
    const { topic, publisher } = publisherFor(1);
    // Far above the broker's 1 MiB message limit.
    const oversized = anEnvelope({ data: { note: 'x'.repeat(2 * 1024 * 1024) } });
    const next = anEnvelope();

    await expect(publisher.publish([oversized])).rejects.toThrow();
    await publisher.publish([next]);

    const reader = await TopicReader.start(topic);
    try {
      const [message] = await reader.received(1);
      expect((JSON.parse(message.value!) as EventEnvelope).eventId).toBe(next.eventId);
      expect(reader.messages).toHaveLength(1);
    } finally {
      await reader.stop();
    }
  });

  it.each([
    { given: 'without types, every event', sealedEventTypes: undefined, sealerSees: ['plain', 'masked'] },
    { given: 'only the types it names', sealedEventTypes: new Set(['LabResulted']), sealerSees: ['masked'] },
  ])(
    'sends events given as JSON as their text, hands its sealer $given, and writes again only what it changed',
    async ({ sealedEventTypes, sealerSees }) => {
      const events = {
        plain: anEnvelope({ type: 'VitalSignsRecorded' }),
        masked: anEnvelope({ type: 'LabResulted', data: { analyte: 'x', value: 1 } }),
      };
      const seen: string[] = [];
      const { topic, publisher } = publisherFor(1, {
        sealFields: (event) => {
          seen.push(event.eventId);
          return event.type === 'LabResulted' ? { ...event, data: { analyte: 'x', sealed: 'token' } } : event;
        },
        sealedEventTypes,
      });
      // Spaced as PostgreSQL writes jsonb, so that passing the text on unchanged shows.
      const asStored = (event: EventEnvelope) => ({ ...event, json: JSON.stringify(event, null, 1) });

      await publisher.publishJson([asStored(events.plain), asStored(events.masked)]);

      const reader = await TopicReader.start(topic);
      try {
        const messages = await reader.received(2);
        expect(messages.map((message) => message.value)).toEqual([
          JSON.stringify(events.plain, null, 1),
          JSON.stringify({ ...events.masked, data: { analyte: 'x', sealed: 'token' } }),
        ]);
        expect(messages.map((message) => message.key)).toEqual([events.plain.streamId, events.masked.streamId]);
        expect(seen).toEqual(sealerSees.map((name) => events[name as keyof typeof events].eventId));
      } finally {
        await reader.stop();
      }
    },
  );

  it('rejects when no broker answers, so that its caller can retry, instead of waiting for ever', async () => {
    const { publisher } = publisherFor(1, {
      brokers: ['127.0.0.1:1'],
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
      connectionTimeout: 500,
    });

    await expect(publisher.publish([anEnvelope()])).rejects.toThrow(/ECONNREFUSED|Connection|broker/i);
  });
});
