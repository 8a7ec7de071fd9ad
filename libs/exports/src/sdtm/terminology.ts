import { AdverseEventOutcome, Nerve, Relatedness, Sex, Side } from '@trialstream/domain';

/** CDISC controlled terms for the domain's vocabulary (SDTM submission values). */

export const SEX_TERMS: Readonly<Record<Sex, string>> = { female: 'F', male: 'M' };

export const RELATEDNESS_TERMS: Readonly<Record<Relatedness, string>> = {
  not_related: 'NOT RELATED',
  unlikely: 'UNLIKELY RELATED',
  possible: 'POSSIBLY RELATED',
  probable: 'PROBABLY RELATED',
  definite: 'RELATED',
};

export const OUTCOME_TERMS: Readonly<Record<AdverseEventOutcome, string>> = {
  recovered: 'RECOVERED/RESOLVED',
  recovering: 'RECOVERING/RESOLVING',
  not_recovered: 'NOT RECOVERED/NOT RESOLVED',
  recovered_with_sequelae: 'RECOVERED/RESOLVED WITH SEQUELAE',
  fatal: 'FATAL',
  unknown: 'UNKNOWN',
};

/** Fibular is the current anatomical name of the peroneal nerve. */
export const NERVE_LOCATIONS: Readonly<Record<Nerve, string>> = {
  median: 'MEDIAN NERVE',
  ulnar: 'ULNAR NERVE',
  fibular: 'FIBULAR NERVE',
  tibial: 'TIBIAL NERVE',
  sural: 'SURAL NERVE',
  radial: 'RADIAL NERVE',
};

export const LATERALITY: Readonly<Record<Side, string>> = { left: 'LEFT', right: 'RIGHT' };

export const yesNo = (value: boolean): 'Y' | 'N' => (value ? 'Y' : 'N');

export const DISPOSITION = {
  consent: { category: 'PROTOCOL MILESTONE', decoded: 'INFORMED CONSENT OBTAINED' },
  enrolled: { category: 'PROTOCOL MILESTONE', decoded: 'ENROLLED' },
  randomized: { category: 'PROTOCOL MILESTONE', decoded: 'RANDOMIZED' },
  screenFailure: { category: 'DISPOSITION EVENT', decoded: 'SCREEN FAILURE' },
  /** The log keeps the reason as free text; coding it (subject's decision, adverse event, ...) is left to the reviewer. */
  withdrawn: { category: 'DISPOSITION EVENT', decoded: 'WITHDRAWAL FROM STUDY' },
} as const;
