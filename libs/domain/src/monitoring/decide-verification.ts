import { EventDraft } from '../envelope';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { fieldPath, fieldsOf, Violations } from '../validation';
import { SourceDataVerificationCommand } from './commands';
import { monitoredTarget } from './decide-query';
import { fieldPathProblem } from './event-fields';
import { draftMonitoringEvent, SourceDataVerified } from './events';
import { MonitoredPatientState } from './monitoring-state';
import { ownValue } from './own';
import { MONITORING_RULE } from './rules';

/**
 * The monitor compared an event with the source document: the whole event, or named fields
 * (targeted SDV of critical fields). Verifying again what is still verified is refused, so the
 * log holds one verification per verified value.
 */
export const decideSourceDataVerification = (
  state: MonitoredPatientState,
  command: SourceDataVerificationCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'SourceDataVerified', SourceDataVerified>> => {
  const issues = new Violations();
  const input = fieldsOf(command);
  const target = monitoredTarget(state, input.targetEventId, ctx, issues, 'verification');

  let fields: string[] | undefined;
  if (input.fields !== undefined && input.fields !== null) {
    const items = issues.items(input.fields, 'fields');
    fields = [];
    items?.forEach((item, index) => {
      const at = fieldPath('fields', index);
      const field = issues.requiredText(item, at, 200);
      if (field === undefined) return;
      if (fields!.includes(field)) return void issues.add(at, MONITORING_RULE.duplicateField, `${field} is listed twice`);
      const problem = target ? fieldPathProblem(target.type, target.entry.data, field) : undefined;
      if (problem) return void issues.add(at, MONITORING_RULE.unknownField, problem);
      fields!.push(field);
    });
  }
  if (issues.any || !target) return reject(issues.list);

  const current = ownValue(state.verifications, target.eventId);
  if (current?.status === 'verified') {
    const covered = current.fields === 'all' || (fields !== undefined && fields.every((field) => current.fields.includes(field)));
    if (covered) {
      return reject([
        { field: 'targetEventId', rule: MONITORING_RULE.alreadyVerified, message: `event ${target.eventId} is already verified` },
      ]);
    }
  }
  return accept(
    draftMonitoringEvent('SourceDataVerified', ctx.now.toISOString(), {
      targetEventId: target.eventId,
      ...(fields !== undefined ? { fields } : {}),
    }),
  );
};
