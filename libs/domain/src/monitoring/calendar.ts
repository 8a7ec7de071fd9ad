import { parseClinicalTime, startOfDateUtc } from '../clinical-time';

const DAY_MS = 86_400_000;
const REMEMBERED_DAYS = 100_000;

/** Dates by their start: schedules and visit windows add days to the same few dates for every patient on every read. */
const datesByStart = new Map<number, string>();

/** The calendar date `days` after `date` (before it when negative). */
export const addDays = (date: string, days: number): string => {
  const start = startOfDateUtc(date) + days * DAY_MS;
  let result = datesByStart.get(start);
  if (result === undefined) {
    // an invalid date (NaN) throws here, as it always did
    result = new Date(start).toISOString().slice(0, 10);
    if (datesByStart.size >= REMEMBERED_DAYS) datesByStart.clear();
    datesByStart.set(start, result);
  }
  return result;
};

/**
 * The calendar date of a reporting date: `asOf` is a date (`2024-06-01`) or a date-time with
 * offset, of which the date as written counts. No hidden clock: every indicator takes its `asOf`.
 */
export const asOfDate = (asOf: string): string => {
  const time = parseClinicalTime(asOf);
  if (!time) throw new RangeError(`asOf must be a date (YYYY-MM-DD) or a date-time with offset, got ${asOf}`);
  return time.date;
};
