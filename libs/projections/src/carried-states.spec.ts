import { CarriedStates } from './carried-states';

describe('carried states', () => {
  const keptBy = (states: CarriedStates, versions: Record<string, number>) => {
    const batch = states.forBatch(new Map());
    for (const streamId of Object.keys(versions)) batch.keep(streamId, `state of ${streamId}`);
    batch.committed(new Map(Object.entries(versions)));
  };
  const offered = (states: CarriedStates, versions: Record<string, number>) => {
    const batch = states.forBatch(new Map(Object.entries(versions)));
    return Object.keys(versions).filter((streamId) => batch.has(streamId));
  };

  it('holds at most the given number of stream versions, dropping the least recently kept first', () => {
    const states = new CarriedStates(100);
    keptBy(states, { a: 40, b: 40 });
    keptBy(states, { a: 45 });
    keptBy(states, { c: 30 });
    // a (45) + b (40) + c (30) is more than 100: b was kept least recently
    expect(offered(states, { a: 45, b: 40, c: 30 })).toEqual(['a', 'c']);
  });

  it('forgets a stream a committed batch moved without keeping a value for it', () => {
    const states = new CarriedStates();
    keptBy(states, { a: 3, b: 2 });
    const batch = states.forBatch(new Map([['a', 3]]));
    batch.committed(new Map([['a', 4]]));
    expect(offered(states, { a: 3, b: 2 })).toEqual(['b']);
  });

  it('offers nothing once a batch forgot everything, and keeps only what it kept after that', () => {
    const states = new CarriedStates();
    keptBy(states, { a: 3, b: 2 });
    const batch = states.forBatch(
      new Map([
        ['a', 3],
        ['c', 0],
      ]),
    );
    batch.keep('a', 'kept before');
    batch.forgetAll();
    expect(batch.has('a')).toBe(false);
    batch.keep('c', 'kept after');
    batch.committed(
      new Map([
        ['a', 4],
        ['c', 1],
      ]),
    );
    expect(offered(states, { a: 4, b: 2, c: 1 })).toEqual(['c']);
  });
});
