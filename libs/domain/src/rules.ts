/**
 * Stable rule codes of every violation the domain reports. Clients key translations and
 * behaviour on them, so a code, once shipped, never changes meaning.
 */
export const RULE = {
  // shape and range (re-checked here: the domain never trusts its input)
  required: 'required',
  mustBeText: 'must-be-text',
  mustBeNumber: 'must-be-number',
  mustBeInteger: 'must-be-integer',
  mustBeBoolean: 'must-be-boolean',
  mustBeList: 'must-be-list',
  mustBeObject: 'must-be-object',
  outOfRange: 'out-of-range',
  notOneOf: 'not-one-of',
  invalidIdentifier: 'invalid-identifier',
  invalidCountry: 'invalid-country',
  invalidDate: 'invalid-date',
  invalidClinicalTime: 'invalid-clinical-time',

  // clinical time
  inTheFuture: 'in-the-future',
  beforeConsent: 'before-consent',
  beforeEnrolment: 'before-enrolment',
  afterWithdrawal: 'after-withdrawal',
  beforeRandomization: 'before-randomization',
  beforeRecordedData: 'before-recorded-data',

  // patient lifecycle
  patientNotEnrolled: 'patient-not-enrolled',
  alreadyEnrolled: 'already-enrolled',
  screenFailed: 'screen-failed',
  alreadyRandomized: 'already-randomized',
  notRandomized: 'not-randomized',
  patientWithdrawn: 'patient-withdrawn',
  alreadyWithdrawn: 'already-withdrawn',
  eligibilityInconsistent: 'eligibility-inconsistent',
  duplicateCriterion: 'duplicate-criterion',

  // site lifecycle
  alreadyActivated: 'already-activated',
  siteIdPattern: 'site-id-pattern',

  // treatment
  doseLevelNotInProtocol: 'dose-level-not-in-protocol',
  doseLevelChangedWithinCycle: 'dose-level-changed-within-cycle',
  infusionNotAfterPrevious: 'infusion-not-after-previous',
  infusionNotBeforeNext: 'infusion-not-before-next',

  // labs
  unitNotAllowed: 'unit-not-allowed',

  // neurography
  notAMotorNerve: 'not-a-motor-nerve',
  notASensoryNerve: 'not-a-sensory-nerve',
  duplicateNerve: 'duplicate-nerve',
  requiresDistalMotorLatency: 'requires-distal-motor-latency',

  // assessments
  noMeasure: 'no-measure',
  incatArmsAndLegsTogether: 'incat-arms-and-legs-together',

  // adverse events
  fatalEventMustBeSerious: 'fatal-event-must-be-serious',
  gradeAndOutcomeDisagree: 'grade-and-outcome-disagree',

  // corrections and voids
  unknownEvent: 'unknown-event',
  typeMismatch: 'type-mismatch',
  alreadyVoided: 'already-voided',
  notAmendable: 'not-amendable',
  correctionChangesNothing: 'correction-changes-nothing',
} as const;

export type RuleCode = (typeof RULE)[keyof typeof RULE];
