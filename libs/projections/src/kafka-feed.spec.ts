import { anEnvelope } from '@trialstream/domain/testing';
import type { EventConsumerOptions } from '@trialstream/messaging';
import type { EventEnvelope } from '@trialstream/domain';
import { KafkaFeed } from './kafka-feed';
import { REGISTRY_PROJECTION } from './registry';
import type { ProjectionRunner } from './runner';

/**
 * The feed's side of the consumer contract, with a runner that records its batches: the Kafka side (offsets
 * committed after the apply, redelivery) is covered against a real broker in test/projections/kafka-feed.test.ts.
 */
describe('the Kafka feed', () => {
  const events = (partition: number) =>
    [1, 2].map((streamVersion) => anEnvelope({ streamId: `patient-S01-000${partition}`, streamVersion }));

  async function feedWith(applyBatch: (events: readonly EventEnvelope[]) => Promise<unknown>) {
    let options: EventConsumerOptions | undefined;
    const runner = { projection: REGISTRY_PROJECTION, isPristine: async () => false, applyBatch } as unknown as ProjectionRunner;
    const feed = new KafkaFeed(runner, {
      brokers: [],
      topic: 'events',
      partitions: 12,
      startConsumer: async (given) => {
        options = given;
        return { stop: async () => undefined };
      },
    });
    await feed.start();
    return options!;
  }

  it('applies the batches several partitions hand over at once in one transaction, and answers each once it committed', async () => {
    const applied: string[][] = [];
    const consumer = await feedWith(async (batch) => applied.push(batch.map((event) => `${event.streamId}@${event.streamVersion}`)));
    expect(consumer.partitionsConsumedConcurrently).toBeGreaterThan(1);

    await Promise.all([0, 1, 2].map((partition) => consumer.onBatch({ topic: 'events', partition, events: events(partition) })));
    await consumer.onBatch({ topic: 'events', partition: 0, events: [anEnvelope({ streamId: 'patient-S01-0000', streamVersion: 3 })] });

    expect(applied).toEqual([
      ['patient-S01-0000@1', 'patient-S01-0000@2', 'patient-S01-0001@1', 'patient-S01-0001@2', 'patient-S01-0002@1', 'patient-S01-0002@2'],
      ['patient-S01-0000@3'],
    ]);
  });

  it('fails every batch of a transaction that failed, so that the consumer delivers each again', async () => {
    let attempts = 0;
    const consumer = await feedWith(async () => {
      attempts += 1;
      throw new Error('database away');
    });
    const outcomes = await Promise.allSettled(
      [0, 1].map((partition) => consumer.onBatch({ topic: 'events', partition, events: events(partition) })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(attempts).toBe(1);
  });
});
