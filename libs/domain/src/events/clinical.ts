export const GLOBAL_STATUSES = ['improved', 'stable', 'worsened'] as const;
export type GlobalStatus = (typeof GLOBAL_STATUSES)[number];

/** A clinical assessment at a visit; at least one measure, INCAT arms and legs always together. */
export interface ClinicalAssessed {
  /** Who assessed: assessors of a blinded trial are blinded and each assessment must be attributable. */
  assessorId: string;
  incatArms?: number;
  incatLegs?: number;
  sensorySumScore?: number;
  mrcSumScore?: number;
  tenMetreWalkSeconds?: number;
  globalStatus?: GlobalStatus;
}
