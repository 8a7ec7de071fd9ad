import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import type { EventEnvelope } from '@trialstream/domain';
import type { Response } from 'express';
import { AccessLog } from '@trialstream/write-side';
import { DEFAULT_LOG_PAGE, LogPageQuery, LogRangeQuery } from '../audit-query.dto';
import { EventLog, type LogPage } from './event-log';
import { writeLines } from './write-lines';
import { AUDITORS_ONLY, LogPageView } from '../audit.views';

/** The complete event log in global order, exactly as stored, for auditors. */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit')
export class AuditLogController {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly log: EventLog,
    private readonly access: AccessLog,
  ) {}

  @Get('events')
  @ApiEndpoint({
    summary: 'A page of the event log after `afterPosition`, and where the next page starts',
    ok: LogPageView,
    refusals: AUDITORS_ONLY,
  })
  async page(@CurrentPrincipal() principal: Principal, @Query() query: LogPageQuery): Promise<LogPage> {
    const afterPosition = query.afterPosition ?? '0';
    const limit = query.limit ?? DEFAULT_LOG_PAGE;
    const page = await this.log.page(afterPosition, limit);
    await this.access.record(principal, {
      action: 'audit-read',
      resource: 'event-log',
      detail: { afterPosition, limit, returned: page.events.length },
    });
    return page;
  }

  @Get('events.ndjson')
  @ApiEndpoint({
    summary: 'The event log as NDJSON, one stored event per line in global order: the whole settled log or the given range',
    ok: { mediaType: 'application/x-ndjson', description: 'Each line an event as in GET /audit/events' },
    refusals: AUDITORS_ONLY,
  })
  async stream(@CurrentPrincipal() principal: Principal, @Query() query: LogRangeQuery, @Res() response: Response): Promise<void> {
    await this.access.record(principal, { action: 'audit-read', resource: 'event-log', detail: { format: 'ndjson', ...query } });
    response.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    try {
      await writeLines(response, ndjson(this.log.events(query)));
    } catch (error) {
      // Before the first line the API can still answer with its error shape.
      if (!response.headersSent) throw error;
      this.logger.error(`the NDJSON log stream broke off: ${(error as Error)?.stack ?? String(error)}`);
      response.destroy(error as Error);
    }
  }
}

async function* ndjson(events: AsyncIterable<EventEnvelope>): AsyncGenerator<string> {
  for await (const event of events) yield `${JSON.stringify(event)}\n`;
}
