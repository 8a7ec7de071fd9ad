import type { EventEnvelope } from '@trialstream/domain';
import { StreamCache } from './stream-cache';

const event = (streamId: string, streamVersion: number) => ({ streamId, streamVersion }) as EventEnvelope;

describe('StreamCache', () => {
  it('keeps a stream as read and extends it with what was read after it', () => {
    const cache = new StreamCache(10);
    expect(cache.get('p1')).toEqual([]);
    cache.extend('p1', [], [event('p1', 1), event('p1', 2)]);
    cache.extend('p1', cache.get('p1'), [event('p1', 3)]);
    expect(cache.get('p1').map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('forgets the least recently used stream beyond its capacity, and a stream it is told to forget', () => {
    const cache = new StreamCache(2);
    cache.extend('p1', [], [event('p1', 1)]);
    cache.extend('p2', [], [event('p2', 1)]);
    cache.get('p1');
    cache.extend('p3', [], [event('p3', 1)]);
    expect(cache.get('p2')).toEqual([]);
    expect(cache.get('p1')).toHaveLength(1);
    cache.forget('p1');
    expect(cache.get('p1')).toEqual([]);
    expect(cache.get('p3')).toHaveLength(1);
  });

  it('never changes an array it handed out', () => {
    const cache = new StreamCache(10);
    const first = cache.extend('p1', [], [event('p1', 1)]);
    cache.extend('p1', first, [event('p1', 2)]);
    expect(first).toHaveLength(1);
  });
});
