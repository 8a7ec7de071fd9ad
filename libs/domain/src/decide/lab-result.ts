import { EventDraft } from '../envelope';
import { LAB_ANALYTES, LAB_QUALIFIERS, LabResulted } from '../events/lab';
import { PatientState } from '../patient-state';
import { DecisionContext, NumericRange } from '../protocol';
import { Decision } from '../rule-violation';
import { RULE } from '../rules';
import { LabResultCommand } from './commands';
import { decideEntry, definedOnly, PayloadBuilder } from './entry';

const ANY_NUMBER: NumericRange = { min: -Infinity, max: Infinity };

/**
 * A result is stored as reported: value, unit and qualifier; conversion to canonical units happens
 * in read models. The protocol's range per unit says where zero is a real result (cell counts: B
 * cells depleted) and where it is not (IgM, titer). A censored result (`<`, `>`) carries its
 * limit, which is always positive.
 */
export const labResultPayload: PayloadBuilder<'LabResulted'> = ({ fields, ctx, at }, issues) => {
  const analyte = issues.oneOf(fields.analyte, at('analyte'), LAB_ANALYTES);
  const unit = issues.requiredText(fields.unit, at('unit'), 20);
  const qualifier = issues.oneOf(fields.qualifier, at('qualifier'), LAB_QUALIFIERS);
  const specimenId = issues.optionalText(fields.specimenId, at('specimenId'), 64);

  const units = analyte ? ctx.protocol.labs[analyte].units : undefined;
  let range: NumericRange = ANY_NUMBER;
  if (units && unit !== undefined) {
    if (Object.prototype.hasOwnProperty.call(units, unit)) {
      range = units[unit];
    } else {
      issues.add(at('unit'), RULE.unitNotAllowed, `${analyte} is reported in ${Object.keys(units).join(' or ')}, not ${unit}`);
    }
  }
  const value = issues.requiredNumber(fields.value, at('value'), range);
  if (value === 0 && qualifier !== undefined && qualifier !== '=') {
    issues.add(at('value'), RULE.outOfRange, 'a censored result carries its limit, which must be more than 0');
  }

  if (analyte === undefined || unit === undefined || qualifier === undefined || value === undefined) return undefined;
  return definedOnly<LabResulted>({ analyte, value, unit, qualifier, specimenId });
};

export const decideLabResult: (
  state: PatientState,
  command: LabResultCommand,
  ctx: DecisionContext,
) => Decision<EventDraft<'LabResulted', LabResulted>> = decideEntry('LabResulted', labResultPayload);
