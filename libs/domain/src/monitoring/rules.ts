/**
 * Rule codes of the monitoring workflow, in the style of `RULE` (rules.ts) and disjoint from it;
 * violations that mean the same as a clinical rule (unknown event, voided, required) use `RULE`.
 */
export const MONITORING_RULE = {
  duplicateQuery: 'duplicate-query',
  unknownQuery: 'unknown-query',
  queryTransitionNotAllowed: 'query-transition-not-allowed',
  notQueryable: 'not-queryable',
  notVerifiable: 'not-verifiable',
  unknownField: 'unknown-field',
  duplicateField: 'duplicate-field',
  maskedAnalyte: 'masked-analyte',
  notACorrection: 'not-a-correction',
  correctionOfAnotherEvent: 'correction-of-another-event',
  alreadyVerified: 'already-verified',
} as const;

export type MonitoringRuleCode = (typeof MONITORING_RULE)[keyof typeof MONITORING_RULE];
