import { Deviation } from './deviation';

/** One rituximab infusion, with the cycle position and dose the domain derived for it. */
export interface InfusionGiven {
  /** 1-based; the first infusion opens cycle 1, the infusion after a full cycle opens the next. */
  cycle: number;
  /** 1..infusions per cycle (4 in the first protocol). */
  infusionInCycle: number;
  doseLevelMgPerM2: number;
  /** Height and weight the dose was calculated from (the enrolment's unless current ones were given). */
  heightCm: number;
  weightKg: number;
  /** Mosteller body-surface area, rounded to 2 decimals as on a pharmacy order. */
  bsaM2: number;
  /** doseLevelMgPerM2 × bsaM2, rounded to 2 decimals. */
  plannedDoseMg: number;
  administeredDoseMg: number;
  deviations: Deviation[];
}
