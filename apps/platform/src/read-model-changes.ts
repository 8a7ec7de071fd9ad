import { Controller, Inject, Injectable, MessageEvent, Module, Sse } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import { AnyAuthenticatedRole } from '@trialstream/auth';
import { DATA_SOURCE } from '@trialstream/database';
import { CHECKPOINT_TABLE, Projection } from '@trialstream/projections';
import { Observable, defer, exhaustMap, interval, map, mergeMap, pairwise, retry, share } from 'rxjs';
import type { DataSource } from 'typeorm';
import { PLATFORM_PROJECTIONS } from './migrations';

export const READ_MODEL_POLL_MS = 1000;

/** One changed read model: its name only, never its content, so any signed-in role may hear it. */
export interface ReadModelChange {
  readModel: string;
}

/**
 * Watches every read model's checkpoint (it moves in the transaction that changes the rows, whichever
 * process applied them) and tells browsers which one moved. One poll serves every listener.
 */
@Injectable()
export class ReadModelChanges {
  readonly changes: Observable<ReadModelChange>;

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {
    this.changes = interval(READ_MODEL_POLL_MS).pipe(
      exhaustMap(() => defer(() => this.positions())),
      pairwise(),
      mergeMap(([before, after]) =>
        Object.keys(after)
          .filter((name) => before[name] !== after[name])
          .map((readModel) => ({ readModel })),
      ),
      retry({ delay: READ_MODEL_POLL_MS }),
      share(),
    );
  }

  private async positions(): Promise<Record<string, string>> {
    const projections: readonly Projection[] = PLATFORM_PROJECTIONS;
    const sql = projections
      .map(
        (projection, index) =>
          `SELECT $${index + 1}::text AS name, global_position::text AS position FROM "${projection.schema}"."${CHECKPOINT_TABLE}"`,
      )
      .join(' UNION ALL ');
    const rows: Array<{ name: string; position: string }> = await this.dataSource.query(
      sql,
      projections.map((projection) => projection.name),
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.position]));
  }
}

@ApiTags('events')
@Controller('events')
export class ReadModelChangesController {
  constructor(private readonly readModels: ReadModelChanges) {}

  @Sse('stream')
  @AnyAuthenticatedRole()
  @ApiEndpoint({
    summary: 'Server-sent events: `read-model-changed` naming a read model whose rows changed (never its data)',
    ok: {
      mediaType: 'text/event-stream',
      description: 'An endless stream of `event: read-model-changed` with `data: {"readModel":"monitoring"}`',
    },
    refusals: { 403: false },
  })
  stream(): Observable<MessageEvent> {
    return this.readModels.changes.pipe(map((change) => ({ type: 'read-model-changed', data: change })));
  }
}

@Module({ controllers: [ReadModelChangesController], providers: [ReadModelChanges] })
export class ReadModelChangesModule {}
