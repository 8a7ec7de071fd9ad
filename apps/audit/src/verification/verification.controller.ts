import { Controller, Get, HttpCode, Param, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiError } from '@trialstream/api-common';
import { RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { VerificationJob, VerificationJobs } from './verification-jobs';

/** Proof that nothing was altered: the log's hash chains and every read model against a rebuild, as a job. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only auditors read the audit log' })
@RequirePermission('read-audit-log')
@Controller('audit/verify')
export class VerificationController {
  constructor(private readonly jobs: VerificationJobs) {}

  @Get()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start verifying the log and every read model (one job at a time; a running job is answered as is)' })
  @ApiAcceptedResponse({ description: 'The job (new or already running); poll `Location` for progress and result' })
  start(@Res({ passthrough: true }) res: Response): VerificationJob {
    const { job } = this.jobs.start();
    res.setHeader('Location', `/audit/verify/${job.jobId}`);
    return job;
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'Progress and, once finished, the result of a verification job' })
  @ApiOkResponse({
    description: '`state` passed or failed with `result` (per stream the first broken link, per read model the rows that differ)',
  })
  @ApiNotFoundResponse({ description: 'No such job (finished jobs are kept for a while)' })
  job(@Param('jobId') jobId: string): VerificationJob {
    const job = this.jobs.get(jobId);
    if (!job) throw ApiError.notFound(`verification job ${jobId}`, 'jobId');
    return job;
  }
}
