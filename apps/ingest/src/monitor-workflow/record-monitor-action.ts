import { Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import { Action, authorize, Principal } from '@trialstream/auth';
import { MonitoredPatientState, patientDecider, stateOf, type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { StreamWriter, WriteResult } from '@trialstream/write-side';
import { MONITOR_ACTIONS, MonitorActionKind, monitorCommand } from './monitor-actions';

type Body = Record<string, unknown> & { submissionId: string; expectedVersion?: number };

export class RecordMonitorAction {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
    readonly kind: MonitorActionKind,
    readonly body: Body,
    /** The query a transition acts on, from the URL. */
    readonly queryId?: string,
  ) {}
}

/** The patient must exist and belong to a site where the caller may take this action. */
export function assertMonitorActionAllowed(principal: Principal, patientId: string, state: MonitoredPatientState, action: Action): void {
  const { status, siteId } = state.patient;
  if (status === 'not_enrolled' || siteId === null) throw ApiError.notFound(`Patient ${patientId}`, 'patientId');
  const denial = authorize(principal, action, siteId);
  if (denial) throw ApiError.forbidden(denial.message, [{ field: 'patientId', rule: denial.rule }]);
}

/**
 * Queries and source data verification are events on the patient's own stream, decided against the
 * stream folded for monitoring. A new query gets its id here, once: a retry of the submission is
 * answered from the store with the id first given.
 */
@CommandHandler(RecordMonitorAction)
export class RecordMonitorActionHandler implements ICommandHandler<RecordMonitorAction, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  execute({ principal, patientId, kind, body, queryId }: RecordMonitorAction): Promise<WriteResult> {
    const { submissionId, expectedVersion, ...fields } = body;
    const query = kind === 'raise-query' ? randomUUID() : queryId;
    const command = query === undefined ? fields : { ...fields, queryId: query };
    return this.writer.write<MonitoredPatientState>({
      principal,
      streamId: this.streams.patient(patientId),
      siteOf: (state) => state.patient.siteId,
      submissionId,
      expectedVersion,
      // the generated id stays out of the retry check: a retry carries the same body, not the same id
      request: { kind, body: queryId === undefined ? body : { ...body, queryId } },
      resource: query === undefined ? { patientId } : { patientId, queryId: query },
      fold: (events) => stateOf(patientDecider, events),
      authorize: (state) => assertMonitorActionAllowed(principal, patientId, state, MONITOR_ACTIONS[kind].permission),
      decide: (state, ctx) => patientDecider.decide(monitorCommand(kind, command), state, ctx),
    });
  }
}
