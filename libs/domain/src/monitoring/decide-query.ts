import { isAllocationRevealing } from '../blinding';
import { EventDraft } from '../envelope';
import { EntryCorrected } from '../events/amendment';
import { StreamEntry } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { fieldsOf, Violations } from '../validation';
import { AnswerQueryCommand, CancelQueryCommand, CloseQueryCommand, RaiseQueryCommand, ReopenQueryCommand } from './commands';
import { fieldPathProblem, isMonitoredEventType, MONITORED_EVENT_TYPES, MonitoredEventType } from './event-fields';
import { draftMonitoringEvent, QueryAnswered, QueryCancelled, QueryClosed, QueryRaised, QueryReopened } from './events';
import { MonitoredPatientState, QUERY_TRANSITIONS, QueryRecord } from './monitoring-state';
import { ownValue } from './own';
import { MONITORING_RULE } from './rules';

const MAX_TEXT = 2000;

/**
 * The event a monitor acts on: one of this patient's monitored events, not voided, and not one whose
 * value would reveal the allocation. Monitors are blinded; a query or a verification of a masked
 * analyte would put its value in a question or an answer they read.
 */
export const monitoredTarget = (
  state: MonitoredPatientState,
  value: unknown,
  ctx: DecisionContext,
  issues: Violations,
  purpose: 'query' | 'verification',
): { eventId: string; type: MonitoredEventType; entry: StreamEntry } | undefined => {
  const eventId = issues.requiredText(value, 'targetEventId', 100);
  if (eventId === undefined) return undefined;
  const entries = state.patient.entries;
  const entry = ownValue(entries, eventId);
  if (!entry) return void issues.add('targetEventId', RULE.unknownEvent, `no event ${eventId} in this patient's record`);
  if (!isMonitoredEventType(entry.type)) {
    const rule = purpose === 'query' ? MONITORING_RULE.notQueryable : MONITORING_RULE.notVerifiable;
    return void issues.add('targetEventId', rule, `${entry.type} is not monitored; only ${MONITORED_EVENT_TYPES.join(', ')} are`);
  }
  if (entry.voided) return void issues.add('targetEventId', RULE.alreadyVoided, `event ${eventId} is voided`);
  if (isAllocationRevealing(ctx.protocol, entry)) {
    const message = `event ${eventId} holds a masked analyte, hidden from blinded roles`;
    return void issues.add('targetEventId', MONITORING_RULE.maskedAnalyte, message);
  }
  return { eventId, type: entry.type, entry };
};

const existingQuery = (state: MonitoredPatientState, value: unknown, issues: Violations): QueryRecord | undefined => {
  const queryId = issues.identifier(value, 'queryId');
  if (queryId === undefined) return undefined;
  const query = ownValue(state.queries, queryId);
  if (!query) return void issues.add('queryId', MONITORING_RULE.unknownQuery, `no query ${queryId} on this patient`);
  return query;
};

const DONE: Readonly<Record<keyof typeof QUERY_TRANSITIONS, string>> = {
  answer: 'answered',
  close: 'closed',
  cancel: 'cancelled',
  reopen: 're-opened',
};

/** The query, when the action may leave its current state. */
const queryFor = (
  state: MonitoredPatientState,
  value: unknown,
  action: keyof typeof QUERY_TRANSITIONS,
  issues: Violations,
): QueryRecord | undefined => {
  const query = existingQuery(state, value, issues);
  if (!query) return undefined;
  const { from } = QUERY_TRANSITIONS[action];
  if (!from.includes(query.status)) {
    return void issues.add(
      'queryId',
      MONITORING_RULE.queryTransitionNotAllowed,
      `query ${query.queryId} is ${query.status}; only ${from.join(' or ')} queries can be ${DONE[action]}`,
    );
  }
  return query;
};

const actionTime = (ctx: DecisionContext): string => ctx.now.toISOString();

/** A monitor questions one field of one event of the patient. */
export const decideRaiseQuery = (
  state: MonitoredPatientState,
  command: RaiseQueryCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'QueryRaised', QueryRaised>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  const queryId = issues.identifier(fields.queryId, 'queryId');
  if (queryId !== undefined && ownValue(state.queries, queryId)) {
    issues.add('queryId', MONITORING_RULE.duplicateQuery, `query ${queryId} already exists`);
  }
  const target = monitoredTarget(state, fields.targetEventId, ctx, issues, 'query');
  const field = issues.requiredText(fields.field, 'field', 200);
  if (target && field !== undefined) {
    const problem = fieldPathProblem(target.type, target.entry.data, field);
    if (problem) issues.add('field', MONITORING_RULE.unknownField, problem);
  }
  const text = issues.requiredText(fields.text, 'text', MAX_TEXT);
  if (issues.any || queryId === undefined || !target || field === undefined || text === undefined) return reject(issues.list);
  return accept(draftMonitoringEvent('QueryRaised', actionTime(ctx), { queryId, targetEventId: target.eventId, field, text }));
};

/**
 * The site answers an open query. A correction named in the answer must already be recorded and
 * must correct the queried event: the answer then points at the value that replaced the original.
 */
export const decideAnswerQuery = (
  state: MonitoredPatientState,
  command: AnswerQueryCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'QueryAnswered', QueryAnswered>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  const query = queryFor(state, fields.queryId, 'answer', issues);
  const text = issues.requiredText(fields.text, 'text', MAX_TEXT);
  const correctionEventId = issues.optionalText(fields.correctionEventId, 'correctionEventId', 100);
  if (correctionEventId !== undefined) {
    const entries = state.patient.entries;
    const entry = ownValue(entries, correctionEventId);
    if (!entry) {
      issues.add('correctionEventId', RULE.unknownEvent, `no event ${correctionEventId} in this patient's record`);
    } else if (entry.type !== 'EntryCorrected') {
      issues.add('correctionEventId', MONITORING_RULE.notACorrection, `event ${correctionEventId} is ${entry.type}, not a correction`);
    } else if (query && (entry.data as EntryCorrected).correctedEventId !== query.targetEventId) {
      const corrected = (entry.data as EntryCorrected).correctedEventId;
      issues.add(
        'correctionEventId',
        MONITORING_RULE.correctionOfAnotherEvent,
        `correction ${correctionEventId} corrects ${corrected}, not the queried event ${query.targetEventId}`,
      );
    }
  }
  if (issues.any || !query || text === undefined) return reject(issues.list);
  return accept(
    draftMonitoringEvent('QueryAnswered', actionTime(ctx), {
      queryId: query.queryId,
      text,
      ...(correctionEventId !== undefined ? { correctionEventId } : {}),
    }),
  );
};

/** The monitor accepts the site's answer. */
export const decideCloseQuery = (
  state: MonitoredPatientState,
  command: CloseQueryCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'QueryClosed', QueryClosed>> => {
  const issues = new Violations();
  const query = queryFor(state, fieldsOf(command).queryId, 'close', issues);
  if (!query) return reject(issues.list);
  return accept(draftMonitoringEvent('QueryClosed', actionTime(ctx), { queryId: query.queryId }));
};

/** The monitor withdraws a query that is not closed: raised in error, or no longer relevant. */
export const decideCancelQuery = (
  state: MonitoredPatientState,
  command: CancelQueryCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'QueryCancelled', QueryCancelled>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  const query = queryFor(state, fields.queryId, 'cancel', issues);
  const reason = issues.requiredText(fields.reason, 'reason', MAX_TEXT);
  if (issues.any || !query || reason === undefined) return reject(issues.list);
  return accept(draftMonitoringEvent('QueryCancelled', actionTime(ctx), { queryId: query.queryId, reason }));
};

/** The monitor is not satisfied with the answer, or new facts came up after closing: open again. */
export const decideReopenQuery = (
  state: MonitoredPatientState,
  command: ReopenQueryCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'QueryReopened', QueryReopened>> => {
  const issues = new Violations();
  const fields = fieldsOf(command);
  const query = queryFor(state, fields.queryId, 'reopen', issues);
  const text = issues.requiredText(fields.text, 'text', MAX_TEXT);
  if (issues.any || !query || text === undefined) return reject(issues.list);
  return accept(draftMonitoringEvent('QueryReopened', actionTime(ctx), { queryId: query.queryId, text }));
};
