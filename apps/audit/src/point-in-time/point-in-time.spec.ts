import { instantPoint, InvalidPointInTimeError, parseUntil, pointInTimeOf, readBoundOf } from './point-in-time';

describe('naming a moment of the log', () => {
  it('takes a global position or a recorded-at instant, never both', () => {
    expect(pointInTimeOf({ position: '0042' })).toEqual({ kind: 'position', position: '42' });
    expect(pointInTimeOf({ at: '2026-06-01T14:00:00+02:00' })).toEqual({ kind: 'recorded-at', at: '2026-06-01T12:00:00.000Z' });
    expect(() => pointInTimeOf({})).toThrow(InvalidPointInTimeError);
    expect(() => pointInTimeOf({ at: '2026-06-01T12:00:00Z', position: '3' })).toThrow('exactly one');
  });

  it('refuses a time without an offset and a position that is not a number', () => {
    expect(() => instantPoint('2026-06-01')).toThrow(expect.objectContaining({ field: 'at', rule: 'instant' }));
    expect(() => instantPoint('2026-06-01T12:00:00')).toThrow(InvalidPointInTimeError);
    expect(() => instantPoint('2026-02-31T12:00:00Z')).toThrow(InvalidPointInTimeError);
    expect(() => pointInTimeOf({ position: '-1' })).toThrow(expect.objectContaining({ field: 'position' }));
  });

  it('reads digits on the command line as a position and anything else as an instant', () => {
    expect(parseUntil('17')).toEqual({ kind: 'position', position: '17' });
    expect(parseUntil('2026-06-01T12:00:00Z')).toEqual({ kind: 'recorded-at', at: '2026-06-01T12:00:00.000Z' });
    expect(() => parseUntil('yesterday')).toThrow(InvalidPointInTimeError);
  });

  it('becomes the event store read bound of the same kind', () => {
    expect(readBoundOf({ kind: 'position', position: '9' })).toEqual({ untilGlobalPosition: '9' });
    expect(readBoundOf({ kind: 'recorded-at', at: '2026-06-01T12:00:00.000Z' })).toEqual({
      untilRecordedAt: new Date('2026-06-01T12:00:00Z'),
    });
  });
});
