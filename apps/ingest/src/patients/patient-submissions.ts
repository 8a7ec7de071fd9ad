import type { PatientCommand, PatientCommandByKind, PatientState } from '@trialstream/domain';

/** Every submission about an enrolled patient: the route segment that receives it, and the patient decider's command kind. */
export const PATIENT_SUBMISSIONS = {
  infusions: 'infusion',
  labs: 'lab',
  neurography: 'neurography',
  assessments: 'assessment',
  'adverse-events': 'adverse-event',
  withdrawal: 'withdrawal',
  corrections: 'correction',
  voids: 'void',
} as const satisfies Record<string, keyof PatientCommandByKind>;

export type PatientSubmissionKind = keyof typeof PATIENT_SUBMISSIONS;

/**
 * Turns a validated request body into the patient decider's command: the transport fields go, and an
 * amendment learns the type of the entry it targets from the patient's own stream (the domain checks it
 * exists). The body's shape was checked by its DTO; the domain re-checks every field it reads.
 */
export function commandFor(kind: PatientSubmissionKind, body: Record<string, unknown>, state: PatientState): PatientCommand {
  const { submissionId: _id, expectedVersion: _version, ...fields } = body;
  const command: object =
    kind === 'corrections'
      ? { ...fields, correctedType: state.entries[String(fields.correctedEventId)]?.type }
      : kind === 'voids'
        ? { ...fields, voidedType: state.entries[String(fields.voidedEventId)]?.type }
        : fields;
  return { kind: PATIENT_SUBMISSIONS[kind], command } as PatientCommand;
}
