import { Controller, Get, Inject, Logger, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import type { Projection, ProjectionLogger } from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { AccessLog } from '@trialstream/write-side';
import { requestedPointInTime } from '../audit-errors';
import { DEFAULT_ROWS_PAGE, ProjectionAsOfQuery } from '../audit-query.dto';
import { AUDITED_PROJECTIONS } from '../audit.tokens';
import { readBoundOf, type PointInTime } from './point-in-time';
import { readModelRows, type TableRows } from './read-model-rows';
import { withProjectionAsOf } from './replay-projection';
import { ProtocolAtMoment, type ProtocolThen } from './protocol-at-moment';
import { AUDITORS_ONLY, ProjectionAsOfView } from '../audit.views';

export interface ProjectionAsOf {
  projection: string;
  asOf: PointInTime;
  /** The protocol version in force at the moment (the replay reads the protocol versions logged by then, as the live model did). */
  protocol: ProtocolThen | null;
  /** Events within the bound that the replay read. */
  events: number;
  /** Of those, events the read model could not apply. */
  deadLettered: number;
  limit: number;
  offset: number;
  tables: TableRows[];
}

/** What the monitors or the statistician saw at a past moment: the read model rebuilt by replay up to it. */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit/projections/:name')
export class ProjectionAsOfController {
  private readonly logger: ProjectionLogger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AUDITED_PROJECTIONS) private readonly projections: readonly Projection[],
    private readonly access: AccessLog,
    private readonly protocolAt: ProtocolAtMoment,
  ) {
    const logger = new Logger('audit as-of');
    this.logger = { warn: (message) => logger.warn(message), error: (message) => logger.error(message) };
  }

  @Get('as-of')
  @ApiEndpoint({
    summary: 'A read model as it stood at a moment, rebuilt by replay: its rows per table, by primary key, paged',
    ok: ProjectionAsOfView,
    refusals: { ...AUDITORS_ONLY, 404: 'No such projection or table' },
  })
  async asOf(
    @CurrentPrincipal() principal: Principal,
    @Param('name') name: string,
    @Query() query: ProjectionAsOfQuery,
  ): Promise<ProjectionAsOf> {
    const asOf = requestedPointInTime(query);
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw ApiError.notFound(`projection ${name}`, 'name');
    if (query.table !== undefined && !projection.resolvedTables.has(query.table))
      throw ApiError.notFound(`table ${query.table} of ${name}`, 'table');
    const limit = query.limit ?? DEFAULT_ROWS_PAGE;
    const offset = query.offset ?? 0;

    const result = await withProjectionAsOf(
      projection,
      this.store,
      this.dataSource,
      { until: readBoundOf(asOf), logger: this.logger },
      async (schema, totals) => ({
        projection: projection.name,
        asOf,
        protocol: await this.protocolAt.of(asOf),
        events: totals.events,
        deadLettered: totals.deadLettered,
        limit,
        offset,
        tables: await readModelRows(this.dataSource, projection, schema, { table: query.table, limit, offset }),
      }),
    );
    await this.access.record(principal, {
      action: 'audit-read',
      resource: `projection/${projection.name}`,
      detail: { view: 'as-of', ...asOf, table: query.table ?? null },
    });
    return result;
  }
}
