import { dateOfDayNumber, dayNumberOf, parseClinicalTime } from '../clinical-time';

/** The calendar date `days` after `date` (before it when negative). */
export const addDays = (date: string, days: number): string => dateOfDayNumber(dayNumberOf(date) + days);

/**
 * The calendar date of a reporting date: `asOf` is a date (`2024-06-01`) or a date-time with
 * offset, of which the date as written counts. No hidden clock: every indicator takes its `asOf`.
 */
export const asOfDate = (asOf: string): string => {
  const time = parseClinicalTime(asOf);
  if (!time) throw new RangeError(`asOf must be a date (YYYY-MM-DD) or a date-time with offset, got ${asOf}`);
  return time.date;
};
