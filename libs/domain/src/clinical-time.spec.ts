import {
  compareClinicalTimes,
  dateOfDayNumber,
  dayNumberOf,
  daysBetween,
  isInTheFuture,
  parseCalendarDate,
  parseClinicalTime,
} from './clinical-time';

describe('parseClinicalTime', () => {
  it('reads a calendar date', () => {
    expect(parseClinicalTime('2024-02-29')).toEqual({ date: '2024-02-29' });
  });

  it('reads a date-time with offset, keeping the local date and the instant', () => {
    expect(parseClinicalTime('2024-03-05T00:30:00+01:00')).toEqual({
      date: '2024-03-05',
      instant: Date.parse('2024-03-04T23:30:00Z'),
    });
    expect(parseClinicalTime('2024-03-05T09:30Z')?.instant).toBe(Date.parse('2024-03-05T09:30:00Z'));
    expect(parseClinicalTime('2024-03-05T09:30:15.250-05:30')?.instant).toBe(Date.parse('2024-03-05T15:00:15.250Z'));
  });

  it.each([
    ['a date-time without offset', '2024-03-05T09:30:00'],
    ['an impossible day', '2023-02-29'],
    ['an impossible month', '2024-13-01'],
    ['an impossible hour', '2024-03-05T24:00:00Z'],
    ['an offset beyond 14 hours', '2024-03-05T09:00:00+15:00'],
    ['a year before 1900', '1899-12-31'],
    ['free text', 'yesterday'],
    ['a number', 20240305],
  ])('refuses %s', (_, value) => {
    expect(parseClinicalTime(value)).toBeNull();
  });
});

describe('parseCalendarDate', () => {
  it('accepts a date only', () => {
    expect(parseCalendarDate('2024-01-10')).toBe('2024-01-10');
    expect(parseCalendarDate('2024-01-10T00:00:00Z')).toBeNull();
  });

  it('refuses a date that is not on the calendar, even after its days were counted', () => {
    expect(dayNumberOf('2023-02-29')).toBe(dayNumberOf('2023-03-01'));
    expect(parseCalendarDate('2023-02-29')).toBeNull();
    expect(parseCalendarDate('2024-02-29')).toBe('2024-02-29');
  });
});

describe('isInTheFuture', () => {
  const now = new Date('2024-06-01T12:00:00Z');

  it('allows a date-time up to the allowed clock skew ahead', () => {
    expect(isInTheFuture(parseClinicalTime('2024-06-01T12:05:00Z')!, now, 5)).toBe(false);
    expect(isInTheFuture(parseClinicalTime('2024-06-01T12:05:01Z')!, now, 5)).toBe(true);
  });

  it('treats a date as in the future only once it has not begun anywhere on earth', () => {
    // 2 June begins at 10:00 UTC on 1 June in UTC+14
    expect(isInTheFuture({ date: '2024-06-02' }, new Date('2024-06-01T10:00:00Z'), 0)).toBe(false);
    expect(isInTheFuture({ date: '2024-06-02' }, new Date('2024-06-01T09:59:59Z'), 0)).toBe(true);
    expect(isInTheFuture({ date: '2024-06-03' }, now, 5)).toBe(true);
  });
});

describe('compareClinicalTimes', () => {
  it('orders two date-times by instant, whatever their offsets', () => {
    const a = parseClinicalTime('2024-03-05T09:00:00+02:00')!;
    const b = parseClinicalTime('2024-03-05T08:00:00Z')!;
    expect(compareClinicalTimes(a, b)).toBe(-1);
    expect(compareClinicalTimes(b, a)).toBe(1);
  });

  it('orders by calendar date when either side has no time, so a day equals its moments', () => {
    expect(compareClinicalTimes({ date: '2024-03-05' }, parseClinicalTime('2024-03-05T23:00:00Z')!)).toBe(0);
    expect(compareClinicalTimes({ date: '2024-03-04' }, { date: '2024-03-05' })).toBe(-1);
  });
});

describe('daysBetween', () => {
  it('counts calendar days across months and leap days', () => {
    expect(daysBetween('2024-02-01', '2024-02-08')).toBe(7);
    expect(daysBetween('2024-02-26', '2024-03-04')).toBe(7);
    expect(daysBetween('2024-03-04', '2024-02-26')).toBe(-7);
  });
});

describe('day numbers', () => {
  it('agree with the calendar every day from 1890 to 2110, leap days and century years included', () => {
    const disagreements: string[] = [];
    for (let time = Date.UTC(1890, 0, 1); time < Date.UTC(2110, 0, 1); time += 86_400_000) {
      const date = new Date(time).toISOString().slice(0, 10);
      const dayNumber = Math.round(time / 86_400_000);
      if (dayNumberOf(date) !== dayNumber || dateOfDayNumber(dayNumber) !== date) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
    expect([dateOfDayNumber(dayNumberOf('2000-02-28') + 1), dateOfDayNumber(dayNumberOf('1900-02-28') + 1)]).toEqual([
      '2000-02-29',
      '1900-03-01',
    ]);
  });
});
