/** Rule codes of the trial's lifecycle and of blinding, beside the domain's shared ones (RULE). */
export const TRIAL_RULE = {
  alreadyFrozen: 'already-frozen',
  alreadyLocked: 'already-locked',
  alreadyUnblinded: 'already-unblinded',
  /** Unblinding needs a locked database: analyses must not be able to change after the arms are known. */
  databaseNotLocked: 'database-not-locked',
  /** A per-arm read while the trial is still blinded. */
  trialBlinded: 'trial-blinded',
  /** A frozen or locked database takes no new data, queries or verifications: the analysed data must stay put. */
  databaseClosed: 'database-closed',
  /** A code-break needs a kit from the allocation list to reveal. */
  noAllocatedKit: 'no-allocated-kit',
} as const;

export type TrialRuleCode = (typeof TRIAL_RULE)[keyof typeof TRIAL_RULE];
