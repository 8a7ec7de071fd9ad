import type { EventEnvelope } from '@trialstream/domain';
import { StreamCache } from './stream-cache';

const events = (streamId: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ streamId, streamVersion: from + i }) as EventEnvelope);

describe('StreamCache', () => {
  it('keeps a stream as read and extends it with what came after it', () => {
    const cache = new StreamCache(100);
    expect(cache.get('p1')).toBeUndefined();
    cache.extend('p1', [], events('p1', 1, 2));
    cache.extend('p1', cache.get('p1')!, events('p1', 3, 3));
    expect(cache.get('p1')!.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('forgets the least recently used streams once it holds more events than its bound', () => {
    const cache = new StreamCache(4);
    cache.extend('p1', [], events('p1', 1, 2));
    cache.extend('p2', [], events('p2', 1, 2));
    cache.get('p1');
    cache.extend('p3', [], events('p3', 1, 1));
    expect(cache.get('p2')).toBeUndefined();
    expect(cache.get('p1')).toHaveLength(2);
    expect(cache.get('p3')).toHaveLength(1);
    // Growing a stream counts only its new length, and a stream longer than the bound is still kept alone.
    cache.extend('p1', cache.get('p1')!, events('p1', 3, 6));
    expect(cache.get('p3')).toBeUndefined();
    expect(cache.get('p1')).toHaveLength(6);
  });

  it('forgets a stream it is told to forget', () => {
    const cache = new StreamCache(10);
    cache.extend('p1', [], events('p1', 1, 1));
    cache.forget('p1');
    expect(cache.get('p1')).toBeUndefined();
  });

  it('never changes an array it handed out', () => {
    const cache = new StreamCache(10);
    const first = cache.extend('p1', [], events('p1', 1, 1));
    cache.extend('p1', first, events('p1', 2, 2));
    expect(first).toHaveLength(1);
  });
});
