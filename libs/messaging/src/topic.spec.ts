import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { durableTopicSettings, whileTopicIsNew } from './topic';

describe('the settings of a new topic', () => {
  const minInSync = (brokers: number) =>
    durableTopicSettings(brokers).configEntries.find((entry) => entry.name === 'min.insync.replicas')?.value;

  it('keeps three replicas, two in sync before an acknowledgement, on a cluster of three brokers or more', () => {
    for (const brokers of [3, 5]) {
      expect({ brokers, replicas: durableTopicSettings(brokers).replicationFactor, minInSync: minInSync(brokers) }).toEqual({
        brokers,
        replicas: 3,
        minInSync: '2',
      });
    }
  });

  it('fits a smaller cluster: one replica per broker, acknowledged by all but one', () => {
    expect([1, 2].map((brokers) => [durableTopicSettings(brokers).replicationFactor, minInSync(brokers)])).toEqual([
      [1, '1'],
      [2, '1'],
    ]);
  });

  it('never lets an out-of-sync replica become leader', () => {
    expect(durableTopicSettings(3).configEntries).toContainEqual({ name: 'unclean.leader.election.enable', value: 'false' });
  });
});

describe('waiting out a broker that has not heard of a new topic yet', () => {
  // As kafkajs makes them from a broker's error code (createErrorFromCode): the type and code travel on the error.
  const brokerError = (type: string) =>
    new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 3, retriable: true }));

  /** An attempt that fails with these errors, one per call, then answers. */
  const failingWith = (errors: Error[]) => {
    const calls: number[] = [];
    const attempt = async () => {
      calls.push(calls.length);
      const error = errors[calls.length - 1];
      if (error) throw error;
      return 'subscribed';
    };
    return { attempt, calls };
  };

  it('tries again while the broker does not host the topic or has no leader for it, then answers', async () => {
    const { attempt, calls } = failingWith([
      brokerError('UNKNOWN_TOPIC_OR_PARTITION'),
      brokerError('LEADER_NOT_AVAILABLE'),
      // kafkajs's retrier wraps what it may not retry, keeping the broker's error as the cause.
      Object.assign(new KafkaJSNonRetriableError(brokerError('UNKNOWN_TOPIC_OR_PARTITION')), {
        cause: brokerError('UNKNOWN_TOPIC_OR_PARTITION'),
      }),
    ]);
    await expect(whileTopicIsNew(attempt, 5_000, 1)).resolves.toBe('subscribed');
    expect(calls).toHaveLength(4);
  });

  it('throws any other error at once', async () => {
    const { attempt, calls } = failingWith([brokerError('TOPIC_AUTHORIZATION_FAILED'), brokerError('UNKNOWN_TOPIC_OR_PARTITION')]);
    await expect(whileTopicIsNew(attempt, 5_000, 1)).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(calls).toHaveLength(1);
  });

  it("gives up after its deadline with the broker's own error", async () => {
    const attempt = async () => {
      throw brokerError('UNKNOWN_TOPIC_OR_PARTITION');
    };
    const started = Date.now();
    await expect(whileTopicIsNew(attempt, 50, 5)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });
});
