import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { ApiEndpoint } from '@trialstream/api-common';
import { PatientSubmissionAnswer, QueryActionAnswer, respond, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
import { MonitorStep } from './monitor-actions';
import { AnswerQueryDto, CancelQueryDto, CloseQueryDto, RaiseQueryDto, ReopenQueryDto, VerifySourceDataDto } from './monitor-workflow.dto';
import { RecordMonitorAction } from './record-monitor-action';

/**
 * The monitor's workflow on a patient's record: queries (CDISC ODM states open, answered, closed,
 * cancelled, re-opened) and source data verification. Site scope is checked on the patient's stream.
 */
/** A query that is not on the patient's record is a rule violation (422, rule `unknown-query`), like any state that does not allow the action. */
const MonitorAction = (summary: string, answer: typeof PatientSubmissionAnswer = QueryActionAnswer) =>
  ApiEndpoint({
    summary,
    created: { type: answer, headers: SUBMISSION_HEADERS },
    refusals: { 404: 'No such patient', ...SUBMISSION_REFUSALS },
  });

@ApiTags('monitor workflow')
@Controller('patients/:patientId')
export class MonitorWorkflowController {
  constructor(private readonly commands: CommandBus) {}

  private async record(principal: Principal, patientId: string, step: MonitorStep, res: Response) {
    return respond(await this.commands.execute(new RecordMonitorAction(principal, patientId, step)), res);
  }

  /** The response names the new query's id (`queryId`), generated here once: a retry is answered with the first. */
  @MonitorAction('Raise a query on an entry (the answer names the new `queryId`)')
  @Post('queries')
  @HttpCode(201)
  @RequirePermission('raise-query')
  raise(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RaiseQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'raise-query', body, queryId: randomUUID() }, res);
  }

  @MonitorAction("Answer a monitor's query (the site)")
  @Post('queries/:queryId/answer')
  @HttpCode(201)
  @RequirePermission('answer-query')
  answer(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Param('queryId') queryId: string,
    @Body() body: AnswerQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'answer-query', body, queryId }, res);
  }

  @MonitorAction('Close an answered query')
  @Post('queries/:queryId/close')
  @HttpCode(201)
  @RequirePermission('review-query')
  close(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Param('queryId') queryId: string,
    @Body() body: CloseQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'close-query', body, queryId }, res);
  }

  @MonitorAction('Cancel a query raised in error')
  @Post('queries/:queryId/cancel')
  @HttpCode(201)
  @RequirePermission('review-query')
  cancel(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Param('queryId') queryId: string,
    @Body() body: CancelQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'cancel-query', body, queryId }, res);
  }

  @MonitorAction('Re-open a query whose answer does not resolve it')
  @Post('queries/:queryId/reopen')
  @HttpCode(201)
  @RequirePermission('review-query')
  reopen(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Param('queryId') queryId: string,
    @Body() body: ReopenQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'reopen-query', body, queryId }, res);
  }

  @MonitorAction('Record source data verification of an entry (or some of its fields)', PatientSubmissionAnswer)
  @Post('source-data-verifications')
  @HttpCode(201)
  @RequirePermission('verify-source-data')
  verify(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: VerifySourceDataDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.record(p, id, { kind: 'verify-source-data', body }, res);
  }
}
