export const RELATEDNESS = ['not_related', 'unlikely', 'possible', 'probable', 'definite'] as const;
export type Relatedness = (typeof RELATEDNESS)[number];

/** CTCAE grades: 1 mild .. 5 death related to the adverse event. */
export const AE_GRADES = [1, 2, 3, 4, 5] as const;
export type AdverseEventGrade = (typeof AE_GRADES)[number];

/** Outcome vocabulary of CDISC SDTM AEOUT, in snake case like the relatedness terms. */
export const AE_OUTCOMES = ['recovered', 'recovering', 'not_recovered', 'recovered_with_sequelae', 'fatal', 'unknown'] as const;
export type AdverseEventOutcome = (typeof AE_OUTCOMES)[number];

export interface AdverseEventReported {
  term: string;
  serious: boolean;
  grade: AdverseEventGrade;
  relatedness: Relatedness;
  outcome?: AdverseEventOutcome;
}
