import { EventDraft } from '../envelope';
import { ClinicalAssessed, GLOBAL_STATUSES } from '../events/clinical';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { Decision } from '../rule-violation';
import { RULE } from '../rules';
import { ClinicalAssessmentCommand } from './commands';
import { decideEntry, definedOnly, PayloadBuilder } from './entry';

const MEASURES = ['incatArms', 'incatLegs', 'sensorySumScore', 'mrcSumScore', 'tenMetreWalkSeconds', 'globalStatus'] as const;

/**
 * A clinical assessment, attributed to its assessor. The INCAT disability score is only meaningful
 * as arms plus legs, so its two parts are recorded together or not at all.
 */
export const clinicalAssessmentPayload: PayloadBuilder<'ClinicalAssessed'> = ({ fields, ctx, at }, issues) => {
  const scores = ctx.protocol.scores;
  const assessorId = issues.requiredText(fields.assessorId, at('assessorId'), 64);
  const incatArms = issues.optionalNumber(fields.incatArms, at('incatArms'), scores.incatArms);
  const incatLegs = issues.optionalNumber(fields.incatLegs, at('incatLegs'), scores.incatLegs);
  const sensorySumScore = issues.optionalNumber(fields.sensorySumScore, at('sensorySumScore'), scores.sensorySumScore);
  const mrcSumScore = issues.optionalNumber(fields.mrcSumScore, at('mrcSumScore'), scores.mrcSumScore);
  const tenMetreWalkSeconds = issues.optionalNumber(fields.tenMetreWalkSeconds, at('tenMetreWalkSeconds'), scores.tenMetreWalkSeconds);
  const globalStatus = issues.optionalOneOf(fields.globalStatus, at('globalStatus'), GLOBAL_STATUSES);

  if ((fields.incatArms == null) !== (fields.incatLegs == null)) {
    const missing = fields.incatArms == null ? 'incatArms' : 'incatLegs';
    issues.add(at(missing), RULE.incatArmsAndLegsTogether, 'INCAT arms and legs are recorded together');
  }
  if (MEASURES.every((measure) => fields[measure] == null)) {
    issues.add(at(), RULE.noMeasure, `an assessment needs at least one of ${MEASURES.join(', ')}`);
  }

  if (issues.any || assessorId === undefined) return undefined;
  return definedOnly<ClinicalAssessed>({
    assessorId,
    incatArms,
    incatLegs,
    sensorySumScore,
    mrcSumScore,
    tenMetreWalkSeconds,
    globalStatus,
  });
};

export const decideClinicalAssessment: (
  state: PatientState,
  command: ClinicalAssessmentCommand,
  ctx: DecisionContext,
) => Decision<EventDraft<'ClinicalAssessed', ClinicalAssessed>> = decideEntry('ClinicalAssessed', clinicalAssessmentPayload);
