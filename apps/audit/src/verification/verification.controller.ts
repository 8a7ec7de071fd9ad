import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@trialstream/auth';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import type { Projection, ProjectionLogger } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { AUDITED_PROJECTIONS } from '../audit.tokens';
import { describeVerification, verifyPlatform, type PlatformVerification } from './verify-platform';

/** Proof that nothing was altered: the log's hash chains and every read model against a rebuild. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only auditors read the audit log' })
@RequirePermission('read-audit-log')
@Controller('audit/verify')
export class VerificationController {
  private readonly logger: ProjectionLogger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AUDITED_PROJECTIONS) private readonly projections: readonly Projection[],
  ) {
    const logger = new Logger('audit verify');
    this.logger = { warn: (message) => logger.warn(message), error: (message) => logger.error(message) };
  }

  @Get()
  @ApiOkResponse({ description: '`ok` false names, per stream, the first broken link, and per read model the rows that differ' })
  async verify(): Promise<PlatformVerification & { summary: string[] }> {
    const report = await verifyPlatform(this.store, this.dataSource, this.projections, { logger: this.logger });
    return { ...report, summary: describeVerification(report) };
  }
}
