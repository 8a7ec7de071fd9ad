import { EventDraft } from '../envelope';
import { AdverseEventReported, AE_GRADES, AE_OUTCOMES, RELATEDNESS } from '../events/adverse-event';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { Decision } from '../rule-violation';
import { RULE } from '../rules';
import { AdverseEventCommand } from './commands';
import { decideEntry, definedOnly, PayloadBuilder } from './entry';

const FATAL_GRADE = 5;

/**
 * An adverse event. Grade 5 means death from the event, so it is serious by definition and its
 * outcome, when known, is fatal; a fatal outcome likewise means grade 5.
 */
export const adverseEventPayload: PayloadBuilder<'AdverseEventReported'> = ({ fields, at }, issues) => {
  const term = issues.requiredText(fields.term, at('term'), 200);
  const serious = issues.requiredBoolean(fields.serious, at('serious'));
  const grade = issues.oneOf(fields.grade, at('grade'), AE_GRADES);
  const relatedness = issues.oneOf(fields.relatedness, at('relatedness'), RELATEDNESS);
  const outcome = issues.optionalOneOf(fields.outcome, at('outcome'), AE_OUTCOMES);

  if (grade === FATAL_GRADE && serious === false) {
    issues.add(at('serious'), RULE.fatalEventMustBeSerious, 'a grade 5 (fatal) adverse event is serious');
  }
  if (grade === FATAL_GRADE && outcome !== undefined && outcome !== 'fatal') {
    issues.add(at('outcome'), RULE.gradeAndOutcomeDisagree, 'a grade 5 adverse event has a fatal outcome');
  }
  if (outcome === 'fatal' && grade !== undefined && grade !== FATAL_GRADE) {
    issues.add(at('grade'), RULE.gradeAndOutcomeDisagree, 'an adverse event with a fatal outcome is grade 5');
  }

  if (issues.any || term === undefined || serious === undefined || grade === undefined || relatedness === undefined) {
    return undefined;
  }
  return definedOnly<AdverseEventReported>({ term, serious, grade, relatedness, outcome });
};

export const decideAdverseEvent: (
  state: PatientState,
  command: AdverseEventCommand,
  ctx: DecisionContext,
) => Decision<EventDraft<'AdverseEventReported', AdverseEventReported>> = decideEntry('AdverseEventReported', adverseEventPayload);
