import { Inject, Injectable, Logger } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import type { Projection } from '@trialstream/projections';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AUDITED_PROJECTIONS } from '../audit.tokens';
import { describeVerification, verifyPlatform, type PlatformVerification } from './verify-platform';
import { describeError } from '@trialstream/config';

export interface VerificationJob {
  jobId: string;
  state: 'running' | 'passed' | 'failed' | 'error';
  startedAt: string;
  finishedAt: string | null;
  /** Read models rebuilt and compared so far, of how many (the log's chains are checked first). */
  progress: { readModelsChecked: number; readModels: number };
  result: (PlatformVerification & { summary: string[] }) | null;
  /** Why the verification could not run to its end (database unavailable, ...). */
  error: string | null;
}

/** Finished jobs kept for their results; older ones are forgotten (the CLI and the audit trail keep the record). */
const KEPT = 20;

/**
 * Verification runs a full rebuild of every read model: minutes on a large log. It runs as a job, one
 * at a time per process, so that a caller cannot make the server do it twice at once, and nobody waits
 * on an open HTTP request for it.
 */
@Injectable()
export class VerificationJobs {
  private readonly jobs = new Map<string, VerificationJob>();
  private running: VerificationJob | null = null;
  private readonly logger = new Logger('audit verify');

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AUDITED_PROJECTIONS) private readonly projections: readonly Projection[],
  ) {}

  /** Starts a verification, or answers the one already running. */
  start(): { job: VerificationJob; started: boolean } {
    if (this.running) return { job: this.running, started: false };
    const job: VerificationJob = {
      jobId: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { readModelsChecked: 0, readModels: this.projections.length },
      result: null,
      error: null,
    };
    this.running = job;
    this.jobs.set(job.jobId, job);
    void this.run(job);
    return { job, started: true };
  }

  get(jobId: string): VerificationJob | undefined {
    return this.jobs.get(jobId);
  }

  private async run(job: VerificationJob): Promise<void> {
    const logger = { warn: (message: string) => this.logger.warn(message), error: (message: string) => this.logger.error(message) };
    try {
      const report = await verifyPlatform(this.store, this.dataSource, this.projections, {
        logger,
        onReadModel: () => void job.progress.readModelsChecked++,
      });
      job.result = { ...report, summary: describeVerification(report) };
      job.state = report.ok ? 'passed' : 'failed';
    } catch (error) {
      job.state = 'error';
      job.error = describeError(error);
      this.logger.error(`verification ${job.jobId} could not run: ${job.error}`);
    } finally {
      job.progress.readModelsChecked = Math.min(job.progress.readModelsChecked, job.progress.readModels);
      job.finishedAt = new Date().toISOString();
      this.running = null;
      this.forgetOldJobs();
    }
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((job) => job.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT))) this.jobs.delete(job.jobId);
  }
}
