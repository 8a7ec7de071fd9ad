import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import { Action, authorize, Principal } from '@trialstream/auth';
import { MonitoredPatientState, patientDecider, type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { StreamWriter, WriteResult } from '@trialstream/write-side';
import { MONITOR_ACTIONS, MonitorStep, monitorCommand } from './monitor-actions';

export class RecordMonitorAction {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
    readonly action: MonitorStep,
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
 * stream folded for monitoring. A new query gets its id once, from the controller: a retry of the
 * submission is answered from the store with the id first given.
 */
@CommandHandler(RecordMonitorAction)
export class RecordMonitorActionHandler implements ICommandHandler<RecordMonitorAction, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  execute({ principal, patientId, action }: RecordMonitorAction): Promise<WriteResult> {
    const { kind, body } = action;
    const queryId = 'queryId' in action ? action.queryId : undefined;
    return this.writer.write<MonitoredPatientState>({
      principal,
      streamId: this.streams.patient(patientId),
      siteOf: (state) => state.patient.siteId,
      submissionId: body.submissionId,
      expectedVersion: body.expectedVersion,
      // the generated id stays out of the retry check: a retry carries the same body, not the same id
      request: { kind, body: kind === 'raise-query' || queryId === undefined ? body : { ...body, queryId } },
      resource: queryId === undefined ? { patientId } : { patientId, queryId },
      fold: patientDecider,
      authorize: (state) => assertMonitorActionAllowed(principal, patientId, state, MONITOR_ACTIONS[kind].permission),
      decide: (state, ctx) => patientDecider.decide(monitorCommand(action), state, ctx),
    });
  }
}
