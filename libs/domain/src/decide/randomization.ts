import { EventDraft } from '../envelope';
import { draftEvent } from '../events/catalog';
import { PatientRandomized } from '../events/patient-lifecycle';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { admitClinicalTime, PATIENT_FIELD, requireEnrolledPatient } from './admission';
import { RandomizationCommand } from './commands';

/**
 * Records the kit and stratum a patient was randomized to. The arm never enters the event flow:
 * the payload is built from the kit and stratum only, whatever else the command carries.
 */
export const decideRandomization = (
  state: PatientState,
  command: RandomizationCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'PatientRandomized', PatientRandomized>> => {
  const issues = new Violations();
  if (!requireEnrolledPatient(state, issues)) return reject(issues.list);
  if (state.randomizedAt) {
    issues.add(PATIENT_FIELD, RULE.alreadyRandomized, `the patient was randomized on ${state.randomizedAt}`);
    return reject(issues.list);
  }
  if (state.status === 'withdrawn') {
    issues.add(PATIENT_FIELD, RULE.patientWithdrawn, 'a withdrawn patient cannot be randomized');
    return reject(issues.list);
  }

  const fields = fieldsOf(command);
  admitClinicalTime(state, fields.occurredAt, ctx, issues);
  const kitNumber = issues.identifier(fields.kitNumber, 'kitNumber');
  const stratum = issues.requiredText(fields.stratum, 'stratum', 100);
  if (issues.any || kitNumber === undefined || stratum === undefined) return reject(issues.list);
  return accept(draftEvent('PatientRandomized', fields.occurredAt as string, { kitNumber, stratum }));
};
