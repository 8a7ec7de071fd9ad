import { Controller, Get, HttpCode, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError } from '@trialstream/api-common';
import { RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { VerificationJob, VerificationJobs } from './verification-jobs';
import { AUDITORS_ONLY, VerificationJobView } from '../audit.views';

/** Proof that nothing was altered: the log's hash chains and every read model against a rebuild, as a job. */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit/verify')
export class VerificationController {
  constructor(private readonly jobs: VerificationJobs) {}

  @Get()
  @HttpCode(202)
  @ApiEndpoint({
    summary: 'Start verifying the log and every read model (one job at a time; a running job is answered as is)',
    accepted: {
      type: VerificationJobView,
      description: 'The job (new or already running); poll `Location` for progress and result',
      headers: { Location: { description: '/audit/verify/{jobId}', schema: { type: 'string' } } },
    },
    refusals: AUDITORS_ONLY,
  })
  start(@Res({ passthrough: true }) res: Response): VerificationJob {
    const { job } = this.jobs.start();
    res.setHeader('Location', `/audit/verify/${job.jobId}`);
    return job;
  }

  @Get(':jobId')
  @ApiEndpoint({
    summary: 'Progress and, once finished, the result of a verification job',
    ok: {
      type: VerificationJobView,
      description: '`state` passed or failed with `result` (per stream the first broken link, per read model the rows that differ)',
    },
    refusals: { ...AUDITORS_ONLY, 404: 'No such job (finished jobs are kept for a while)' },
  })
  job(@Param('jobId') jobId: string): VerificationJob {
    const job = this.jobs.get(jobId);
    if (!job) throw ApiError.notFound(`verification job ${jobId}`, 'jobId');
    return job;
  }
}
