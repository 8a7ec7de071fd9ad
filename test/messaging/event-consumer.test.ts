import { Logger } from '@nestjs/common';
import {
  createKafka,
  ensureTopic,
  KafkaEventPublisher,
  startEventConsumer,
  type ConsumedBatch,
  type EventConsumerOptions,
  type RunningConsumer,
  type UndecodableMessage,
} from '@trialstream/messaging';
import { Partitioners } from 'kafkajs';
import type { EventEnvelope } from '@trialstream/domain';
import { anEnvelope } from '@trialstream/domain/testing';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { deleteTopics, pause } from './kafka-test-kit';
import { waitUntil } from '../support/eventually';

/** `count` consecutive events of one stream, versions 1..count (or from `firstVersion`). */
function streamEvents(streamId: string, count: number, firstVersion = 1): EventEnvelope[] {
  return Array.from({ length: count }, (_, i) => anEnvelope({ streamId, streamVersion: firstVersion + i }));
}

/** Interleaves streams the way the store's order would. */
function interleaved(...streams: EventEnvelope[][]): EventEnvelope[] {
  const longest = Math.max(...streams.map((events) => events.length));
  return Array.from({ length: longest }, (_, i) => streams.map((events) => events[i]).filter(Boolean)).flat();
}

const ids = (events: EventEnvelope[]) => events.map((event) => event.eventId);

describe('event consumer', () => {
  const topics: string[] = [];
  const running: RunningConsumer[] = [];
  let publisher: KafkaEventPublisher;

  beforeAll(() => assertKafkaReachable());
  afterEach(async () => {
    await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
    await publisher?.close();
    jest.restoreAllMocks();
  });
  afterAll(() => deleteTopics(topics));

  async function newTopic(partitions: number): Promise<{ topic: string; partitions: number; brokers: string[] }> {
    const topic = uniqueTopic('consumer');
    topics.push(topic);
    publisher = new KafkaEventPublisher({ brokers: TEST_KAFKA_BROKERS, topic, partitions, clientId: 'consumer-test-publisher' });
    return { topic, partitions, brokers: TEST_KAFKA_BROKERS };
  }

  async function consume(
    options: Pick<EventConsumerOptions, 'topic' | 'partitions' | 'brokers' | 'groupId'> & Partial<EventConsumerOptions>,
  ): Promise<RunningConsumer> {
    const consumer = await startEventConsumer({ clientId: 'consumer-test', onBatch: async () => undefined, ...options });
    running.push(consumer);
    return consumer;
  }

  async function stop(consumer: RunningConsumer): Promise<void> {
    running.splice(running.indexOf(consumer), 1);
    await consumer.stop();
  }

  it("hands each stream's events over in stream order, and a new member of the group resumes after the last handled batch", async () => {
    const topic = await newTopic(3);
    const groupId = uniqueTopic('group');
    const streams = ['patient-ZH01-001', 'patient-ZH01-002', 'patient-BE02-001', 'patient-BE02-002'];
    const first = interleaved(...streams.map((streamId) => streamEvents(streamId, 5)));
    await publisher.publish(first);

    const handled: ConsumedBatch[] = [];
    const firstMember = await consume({ ...topic, groupId, onBatch: async (batch) => void handled.push(batch) });
    await waitUntil(
      () => handled.flatMap((b) => b.events).length >= first.length,
      30_000,
      () => `${first.length} events`,
    );
    await stop(firstMember);

    for (const streamId of streams) {
      const versions = handled
        .flatMap((batch) => batch.events)
        .filter((event) => event.streamId === streamId)
        .map((e) => e.streamVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5]);
    }
    for (const batch of handled) expect(batch.topic).toBe(topic.topic);

    const later = interleaved(...streams.map((streamId) => streamEvents(streamId, 2, 6)));
    await publisher.publish(later);
    const handledLater: EventEnvelope[] = [];
    await consume({ ...topic, groupId, onBatch: async (batch) => void handledLater.push(...batch.events) });
    await waitUntil(
      () => handledLater.length >= later.length,
      30_000,
      () => `${later.length} later events`,
    );

    expect(ids(handledLater).sort()).toEqual(ids(later).sort());
  });

  it('hands a batch over again when its handler failed, skipping nothing', async () => {
    const topic = await newTopic(1);
    const events = streamEvents('patient-ZH01-003', 6);
    await publisher.publish(events);
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const calls: EventEnvelope[][] = [];
    const handled: EventEnvelope[] = [];
    await consume({
      ...topic,
      groupId: uniqueTopic('group'),
      onBatch: async (batch) => {
        calls.push(batch.events);
        if (calls.length === 1) throw new Error('projection database unavailable');
        handled.push(...batch.events);
      },
    });
    await waitUntil(
      () => handled.length >= events.length,
      30_000,
      () => `${events.length} events handled (got ${handled.length})`,
    );

    expect(ids(calls[1])).toEqual(ids(calls[0]));
    expect(ids(handled)).toEqual(ids(events));
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('failed, it will be delivered again: projection database unavailable'));
  });

  it('does not commit a batch whose handler never succeeded: the next member of the group receives it', async () => {
    const topic = await newTopic(2);
    const groupId = uniqueTopic('group');
    const events = interleaved(streamEvents('patient-ZH01-004', 4), streamEvents('patient-ZH01-005', 4));
    await publisher.publish(events);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    let failedCalls = 0;
    const failing = await consume({
      ...topic,
      groupId,
      onBatch: async () => {
        failedCalls += 1;
        throw new Error('cannot write the read model');
      },
    });
    await waitUntil(
      () => failedCalls >= 2,
      30_000,
      () => 'two failed deliveries',
    );
    await stop(failing);

    const handled: EventEnvelope[] = [];
    await consume({ ...topic, groupId, onBatch: async (batch) => void handled.push(...batch.events) });
    await waitUntil(
      () => handled.length >= events.length,
      30_000,
      () => `${events.length} events`,
    );

    expect(ids(handled).sort()).toEqual(ids(events).sort());
  });

  it('hands messages it cannot read to onUndecodable, commits them, and goes on with the events around them', async () => {
    const topic = await newTopic(1);
    const groupId = uniqueTopic('group');
    const [before, after] = [anEnvelope({ streamId: 'patient-ZH01-006' }), anEnvelope({ streamId: 'patient-ZH01-006', streamVersion: 2 })];
    const fromTheFuture = anEnvelope({ streamId: 'patient-ZH01-006', streamVersion: 3, type: 'LabResulted', schemaVersion: 99 });
    await publisher.publish([before]);
    const producer = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'foreign-producer' }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({
      topic: topic.topic,
      messages: [{ key: 'patient-ZH01-006', value: 'not an event', headers: { origin: 'elsewhere' } }],
    });
    await producer.disconnect();
    await publisher.publish([after, fromTheFuture]);

    const undecodable: UndecodableMessage[] = [];
    const handled: EventEnvelope[] = [];
    const member = await consume({
      ...topic,
      groupId,
      onBatch: async (batch) => void handled.push(...batch.events),
      onUndecodable: async (message) => void undecodable.push(message),
    });
    await waitUntil(
      () => handled.length >= 2 && undecodable.length >= 2,
      30_000,
      () => 'two events and two undecodable messages',
    );
    await stop(member);

    expect(ids(handled)).toEqual(ids([before, after]));
    expect(undecodable).toEqual([
      expect.objectContaining({
        offset: '1',
        key: 'patient-ZH01-006',
        headers: { origin: 'elsewhere' },
        reason: expect.stringMatching(/content-type/),
      }),
      expect.objectContaining({ offset: '3', reason: expect.stringMatching(/LabResulted v99/) }),
    ]);
    expect(undecodable[0].value?.toString()).toBe('not an event');

    const seenAgain: UndecodableMessage[] = [];
    await publisher.publish([anEnvelope({ streamId: 'patient-ZH01-006', streamVersion: 3 })]);
    const handledLater: EventEnvelope[] = [];
    await consume({
      ...topic,
      groupId,
      onBatch: async (batch) => void handledLater.push(...batch.events),
      onUndecodable: async (message) => void seenAgain.push(message),
    });
    await waitUntil(
      () => handledLater.length >= 1,
      30_000,
      () => 'the next event',
    );
    expect(seenAgain).toEqual([]);
  });

  it('creates the topic with the configured partitions when it starts before the relay ever published', async () => {
    const topic = uniqueTopic('consumer-first');
    topics.push(topic);

    await consume({ brokers: TEST_KAFKA_BROKERS, topic, partitions: 5, groupId: uniqueTopic('group') });

    expect(await ensureTopic({ brokers: TEST_KAFKA_BROKERS, topic, partitions: 5 })).toEqual({ created: false, partitions: 5 });
  });

  it('stops while waiting for messages without waiting out a long poll of the broker', async () => {
    const topic = await newTopic(1);
    const member = await consume({ ...topic, groupId: uniqueTopic('group') });
    await pause(300);

    const started = Date.now();
    await stop(member);

    // Not a speed figure: the consumer's fetch waits 200 ms on the broker, kafkajs's own default 5 s. A stop that
    // waits out a default fetch (or the group's session) fails; a slow machine finishing a 200 ms fetch does not.
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
