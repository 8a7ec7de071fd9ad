import { daysBetween } from '@trialstream/domain';

/**
 * The visit an observation belongs to, from its date and the first infusion, following the first
 * protocol's schedule: baseline within the 14 days up to the first infusion (day 1, pre-dose),
 * screening before that, and follow-up months every 13 weeks (91 days) after it, ±14 days. A date
 * outside every window is named by its day (`day-40`), so nothing is forced into a visit it missed.
 */
export const BASELINE_WINDOW_DAYS = 14;
export const FOLLOW_UP_INTERVAL_DAYS = 91;
export const FOLLOW_UP_WINDOW_DAYS = 14;

export const visitOf = (date: string, firstInfusionDate: string | undefined): string => {
  if (firstInfusionDate === undefined) return 'screening';
  const day = daysBetween(firstInfusionDate, date);
  if (day <= 0) return -day <= BASELINE_WINDOW_DAYS ? 'baseline' : 'screening';
  const quarter = Math.round(day / FOLLOW_UP_INTERVAL_DAYS);
  if (quarter >= 1 && Math.abs(day - quarter * FOLLOW_UP_INTERVAL_DAYS) <= FOLLOW_UP_WINDOW_DAYS) return `month-${quarter * 3}`;
  return `day-${day}`;
};
