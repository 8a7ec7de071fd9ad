/**
 * Clinical time as sites report it: a calendar date (`2024-03-05`) or a date-time with an offset
 * (`2024-03-05T09:30:00+01:00`). The calendar date is always the one written, i.e. the site's local
 * date, which is what the protocol's day counting and the consent date refer to.
 */

export interface ClinicalTime {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** Epoch milliseconds when a time of day with offset was given. */
  instant?: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;
/** The earliest offset in use (UTC+14): a date is "today" somewhere until its start there has passed. */
const EARLIEST_OFFSET_MS = 14 * 3_600_000;

/** Years before 1900 are typing errors in a clinical trial (and Date.UTC maps years < 100 to 19xx). */
const isCalendarDate = (year: number, month: number, day: number): boolean => {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Arithmetic, not a Date: the analysis checks every date of a patient's history on each derivation.
const daysInMonth = (year: number, month: number): number => {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
};

/**
 * Dates already found real, with their day numbers: a trial has few distinct days, and the analysis and
 * monitoring check and count each of them again and again. Only real dates enter, so a hit proves one.
 */
const knownDays = new Map<string, number>();
const REMEMBERED_DATES = 100_000;

/** Parses a date-only string (consent dates); null unless a real calendar date. */
export const parseCalendarDate = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  if (knownDays.has(value)) return value;
  const match = DATE.exec(value);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  if (knownDays.size >= REMEMBERED_DATES) knownDays.clear();
  knownDays.set(value, computedDayNumberOf(value));
  return value;
};

/** Parses a clinical time; null unless a real date or a real date-time with an offset. */
export const parseClinicalTime = (value: unknown): ClinicalTime | null => {
  if (typeof value !== 'string') return null;
  const date = parseCalendarDate(value);
  if (date) return { date };
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone, sign, offH, offM] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMs = 0;
  if (zone !== 'Z') {
    const [oh, om] = [Number(offH), Number(offM)];
    if (oh > 14 || om > 59) return null;
    offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return { date: `${y}-${mo}-${d}`, instant: local - offsetMs };
};

const startOfDateUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/**
 * Whether a clinical time lies ahead of `now` by more than the allowed skew. A date without a time
 * is in the future only once it has not begun anywhere on earth: the server cannot know the site's zone.
 */
export const isInTheFuture = (time: ClinicalTime, now: Date, allowedSkewMinutes: number): boolean => {
  const latestAccepted = now.getTime() + allowedSkewMinutes * 60_000;
  const earliestMoment = time.instant ?? startOfDateUtc(time.date) - EARLIEST_OFFSET_MS;
  return earliestMoment > latestAccepted;
};

/**
 * Orders two clinical times: by instant when both have one, otherwise by calendar date, so that a
 * date-only entry counts as the whole day (data of the withdrawal day is not "after" it).
 */
export const compareClinicalTimes = (a: ClinicalTime, b: ClinicalTime): number => {
  if (a.instant !== undefined && b.instant !== undefined) return Math.sign(a.instant - b.instant);
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
};

/**
 * Days since 1970-01-01 of a date YYYY-MM-DD, by arithmetic (days from civil, proleptic Gregorian):
 * visit windows and day counts of every patient are computed on each read, and a Date per call was
 * most of a monitoring or analysis request's time. Anything else goes through Date as before.
 */
export const dayNumberOf = (date: string): number => {
  const known = knownDays.get(date);
  if (known !== undefined) return known;
  return parseCalendarDate(date) === null ? computedDayNumberOf(date) : (knownDays.get(date) ?? computedDayNumberOf(date));
};

function computedDayNumberOf(date: string): number {
  const match = DATE.exec(date);
  if (!match) return Math.round(startOfDateUtc(date) / DAY_MS);
  const month = Number(match[2]);
  const year = Number(match[1]) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + Number(match[3]) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The date YYYY-MM-DD of a day number (the inverse of dayNumberOf). */
export const dateOfDayNumber = (dayNumber: number): string => {
  const shifted = dayNumber + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
};

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => dayNumberOf(to) - dayNumberOf(from);

/** For state, which stores times as reported: parses a time that was validated when it was decided. */
export const clinicalTimeOf = (value: string): ClinicalTime => {
  const time = parseClinicalTime(value);
  if (!time) throw new RangeError(`not a clinical time: ${value}`);
  return time;
};
