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
 * Tells browsers which read model changed, whichever process applied the change. A read model's rows change
 * only with events its projection handles; its checkpoint also moves past events it ignores, such as the
 * access records every audited read appends, and a page that reloaded on those would record its own reload
 * and reload again forever. So what is watched, per read model, is the last event of a type it handles at or
 * below its checkpoint. One poll serves every listener.
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
          `SELECT $${2 * index + 1}::text AS name,
             (SELECT e.global_position::text FROM event_store.events AS e
               WHERE (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position) AND e.type = ANY($${2 * index + 2}::text[])
               ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1) AS position
           FROM "${projection.schema}"."${CHECKPOINT_TABLE}" AS c`,
      )
      .join(' UNION ALL ');
    const rows: Array<{ name: string; position: string | null }> = await this.dataSource.query(
      sql,
      projections.flatMap((projection) => [projection.name, Object.keys(projection.handlers)]),
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.position ?? '']));
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
