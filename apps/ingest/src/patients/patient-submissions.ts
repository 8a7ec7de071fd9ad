import {
  decideAdverseEvent, decideClinicalAssessment, decideCorrection, decideInfusion, decideLabResult, decideNeurography,
  decideRandomization, decideVoid, decideWithdrawal, Decision, DecisionContext, EventDraft, PatientState,
} from '@trialstream/domain';

/** Every submission about an enrolled patient, by the route segment that receives it. */
export const PATIENT_SUBMISSIONS = {
  randomization: decideRandomization,
  infusions: decideInfusion,
  labs: decideLabResult,
  neurography: decideNeurography,
  assessments: decideClinicalAssessment,
  'adverse-events': decideAdverseEvent,
  withdrawal: decideWithdrawal,
  corrections: decideCorrection,
  voids: decideVoid,
} as const;

export type PatientSubmissionKind = keyof typeof PATIENT_SUBMISSIONS;

type Decider = (state: PatientState, command: never, ctx: DecisionContext) => Decision<EventDraft>;

/**
 * Turns a validated request body into the domain command: the transport fields go, and an amendment
 * learns the type of the entry it targets from the patient's own stream (the domain checks it exists).
 */
export function commandFor(kind: PatientSubmissionKind, body: Record<string, unknown>, state: PatientState): Record<string, unknown> {
  const { submissionId: _id, expectedVersion: _version, ...command } = body;
  if (kind === 'randomization') return { ...command, stratum: command.stratum ?? state.siteId };
  if (kind === 'corrections') return { ...command, correctedType: state.entries[String(command.correctedEventId)]?.type };
  if (kind === 'voids') return { ...command, voidedType: state.entries[String(command.voidedEventId)]?.type };
  return command;
}

export function decidePatientSubmission(
  kind: PatientSubmissionKind,
  state: PatientState,
  body: Record<string, unknown>,
  ctx: DecisionContext,
): Decision<EventDraft> {
  const decide = PATIENT_SUBMISSIONS[kind] as Decider;
  return decide(state, commandFor(kind, body, state) as never, ctx);
}
