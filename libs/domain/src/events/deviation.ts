/**
 * Protocol deviations the domain detects. A deviation never rejects a fact: the event is stored
 * with the deviation attached, because what happened to the patient happened.
 */
export const DEVIATION_CODES = ['dose-off-by-more-than-10-percent', 'infusion-out-of-window', 'limb-temperature-below-32C'] as const;
export type DeviationCode = (typeof DEVIATION_CODES)[number];

export interface Deviation {
  code: DeviationCode;
  /** Human-readable facts behind the flag, e.g. the day an infusion was given and the day it was due. */
  detail: string;
}
