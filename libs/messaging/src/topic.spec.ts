import { durableTopicSettings } from './topic';

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
