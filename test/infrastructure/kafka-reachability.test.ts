import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

describe('Kafka reachability check for the integration suites', () => {
  it('passes against the broker the suites use', async () => {
    await expect(assertKafkaReachable(TEST_KAFKA_BROKERS)).resolves.toBeUndefined();
  });

  it('fails without a broker, naming the command that starts one', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await expect(assertKafkaReachable(['127.0.0.1:1'])).rejects.toThrow(/127\.0\.0\.1:1.*bash scripts\/kafka\.sh start/);
  });

  it('gives every suite a topic name of its own', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueTopic('suite')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^suite-[a-z0-9]+-[0-9a-f]{8}$/);
  });
});
