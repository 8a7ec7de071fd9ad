import type { EventEnvelope, StreamFolding } from '@trialstream/domain';
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

  describe('stateOf', () => {
    /** Counts the events it folds; its state is the versions folded, in order. */
    const counting = () => {
      const folded: number[] = [];
      const folding: StreamFolding<number[]> = {
        initialState: () => [],
        evolve: (state, event) => (folded.push((event as EventEnvelope).streamVersion), [...state, (event as EventEnvelope).streamVersion]),
      };
      return { folded, folding };
    };

    it('folds only the events after the state it kept for the stream', () => {
      const cache = new StreamCache(100);
      const { folded, folding } = counting();
      expect(cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 3)), folding)).toEqual([1, 2, 3]);
      expect(cache.stateOf('p1', cache.extend('p1', cache.get('p1')!, events('p1', 4, 5)), folding)).toEqual([1, 2, 3, 4, 5]);
      expect(folded).toEqual([1, 2, 3, 4, 5]);
    });

    /** A kind with an open fold: counts the folds it opens and the events added to each, and never evolves. */
    const opening = () => {
      const opened: number[][] = [];
      const folding: StreamFolding<number[]> = {
        initialState: () => [],
        evolve: () => {
          throw new Error('folded one event at a time');
        },
        open: (from) => {
          const state = [...from];
          opened.push([]);
          const added = opened[opened.length - 1];
          return {
            state,
            add: (event) => {
              added.push((event as EventEnvelope).streamVersion);
              state.push((event as EventEnvelope).streamVersion);
            },
          };
        },
      };
      return { opened, folding };
    };

    it("keeps the kind's open fold with the stream and adds to it only the events after it, without copying the state", () => {
      const cache = new StreamCache(100);
      const { opened, folding } = opening();
      const first = cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 3)), folding);
      expect(first).toEqual([1, 2, 3]);
      const second = cache.stateOf('p1', cache.extend('p1', cache.get('p1')!, events('p1', 4, 5)), folding);
      expect(second).toEqual([1, 2, 3, 4, 5]);
      expect(cache.stateOf('p1', cache.get('p1')!, folding)).toEqual([1, 2, 3, 4, 5]);
      // one fold, opened once, each event added once: a write on a long stream folds its new events, nothing more
      expect(opened).toEqual([[1, 2, 3, 4, 5]]);
      expect(second).toBe(first);
    });

    it('forgets a fold that failed on an event, so the next decision folds the stream afresh instead of taking events twice', () => {
      const cache = new StreamCache(100);
      const { opened, folding } = opening();
      const open = folding.open!;
      let refuse = 4;
      folding.open = (from) => {
        const fold = open(from);
        return {
          get state() {
            return fold.state;
          },
          add: (event) => {
            if ((event as EventEnvelope).streamVersion === refuse) throw new Error('unknown schema version');
            fold.add(event);
          },
        };
      };
      cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 2)), folding);
      const longer = cache.extend('p1', cache.get('p1')!, events('p1', 3, 5));
      expect(() => cache.stateOf('p1', longer, folding)).toThrow('unknown schema version');
      refuse = 0;
      expect(cache.stateOf('p1', longer, folding)).toEqual([1, 2, 3, 4, 5]);
      expect(opened).toEqual([
        [1, 2, 3],
        [1, 2, 3, 4, 5],
      ]);
    });

    it('opens a new fold from the start when the stream was forgotten or is given shorter than the fold', () => {
      const cache = new StreamCache(100);
      const { opened, folding } = opening();
      const all = cache.extend('p1', [], events('p1', 1, 3));
      const folded = cache.stateOf('p1', all, folding);
      expect(cache.stateOf('p1', all.slice(0, 2), folding)).toEqual([1, 2]);
      cache.forget('p1');
      expect(cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 4)), folding)).toEqual([1, 2, 3, 4]);
      expect(opened).toEqual([
        [1, 2, 3],
        [1, 2],
        [1, 2, 3, 4],
      ]);
      // a fold left behind is never added to again
      expect(folded).toEqual([1, 2, 3]);
    });

    it('folds the whole stream again once the stream was forgotten, and keeps states per folding', () => {
      const cache = new StreamCache(100);
      const first = counting();
      const second = counting();
      cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 2)), first.folding);
      cache.forget('p1');
      expect(cache.stateOf('p1', cache.extend('p1', [], events('p1', 1, 3)), first.folding)).toEqual([1, 2, 3]);
      expect(cache.stateOf('p1', cache.get('p1')!, second.folding)).toEqual([1, 2, 3]);
      expect(first.folded).toEqual([1, 2, 1, 2, 3]);
      expect(second.folded).toEqual([1, 2, 3]);
    });

    it('folds from the start when given fewer events than the state it kept', () => {
      const cache = new StreamCache(100);
      const { folding } = counting();
      const all = cache.extend('p1', [], events('p1', 1, 3));
      cache.stateOf('p1', all, folding);
      expect(cache.stateOf('p1', all.slice(0, 2), folding)).toEqual([1, 2]);
      expect(cache.stateOf('p1', all, folding)).toEqual([1, 2, 3]);
    });

    it('folds a stream it does not hold without keeping anything', () => {
      const cache = new StreamCache(100);
      const { folded, folding } = counting();
      expect(cache.stateOf('p9', events('p9', 1, 2), folding)).toEqual([1, 2]);
      expect(cache.stateOf('p9', events('p9', 1, 2), folding)).toEqual([1, 2]);
      expect(folded).toEqual([1, 2, 1, 2]);
    });
  });
});
