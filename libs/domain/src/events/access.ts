/**
 * Who looked at what (21 CFR Part 11 / ICH E6): reads that matter are events too, in the reader's own
 * access stream (`TrialStreams.access`: `<trialId>.access-<userId>`), so the audit trail shows them beside the data.
 */
export const ACCESS_ACTIONS = [
  /** An unblinded analysis or allocation read (safety board before unblinding, or anyone after). */
  'unblinded-read',
  /** An emergency code-break result shown to its requester. */
  'code-break-read',
  /** A dataset or document leaving the platform (CSV, ODM, SDTM). */
  'export',
  /** An auditor reading a patient's complete record or the raw log. */
  'audit-read',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessRecorded {
  action: AccessAction;
  /** What was read, e.g. `analysis/arms`, `patient/S01-0001`, `export/odm`. */
  resource: string;
  /** Filters or parameters of the read, as given. */
  detail?: Record<string, unknown>;
}
