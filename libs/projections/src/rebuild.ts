import type { DataSource } from 'typeorm';
import { inTransaction, lockProjectionSchema } from './database';
import { consoleLogger } from './logger';
import type { Projection } from './projection';
import { replayInto, scratchSchemaName, streamsAhead, topUpFromLive, type ReplayOptions } from './replay';
import { createProjectionSchema, dropProjectionSchema, schemaExists } from './schema-admin';
import { quoteIdent } from './sql-identifiers';
import type { CatchUpSource } from './read-ahead';

export interface RebuildReport {
  projection: string;
  schema: string;
  /** Events read from the store. */
  events: number;
  applied: number;
  deadLettered: number;
  /** Stream versions the live model had applied beyond the replay, carried over before the swap. */
  carriedOver: number;
  elapsedMs: number;
  eventsPerSecond: number;
}

/** The live model keeps moving while the rebuild catches up with it; give up rather than spin forever. */
const MAX_SWAP_ATTEMPTS = 20;

/**
 * Replays the whole store into a fresh scratch schema at full speed and swaps it in for the live read
 * model. Before the swap, every stream version the live model had applied but the replay had not is
 * applied to the new schema (read from the store), so nothing the live projection already showed is
 * lost; the swap itself runs under the projection's lock, so no batch is half-way through it.
 */
export async function rebuildProjection(
  projection: Projection,
  store: CatchUpSource,
  dataSource: DataSource,
  options: ReplayOptions = {},
): Promise<RebuildReport> {
  const logger = options.logger ?? consoleLogger(`rebuild ${projection.name}`);
  const live = projection.schema;
  const scratch = scratchSchemaName(live, 'rebuild');
  const started = Date.now();
  await createProjectionSchema(dataSource, projection, scratch);
  let swapped = false;
  try {
    const totals = await replayInto(projection, store, dataSource, scratch, { ...options, logger });
    let carriedOver = 0;
    const old = scratchSchemaName(live, 'old');
    for (let attempt = 1; !swapped; attempt++) {
      if (attempt > MAX_SWAP_ATTEMPTS) throw new Error(`the live ${live} schema kept moving ahead; rebuild not swapped in`);
      if (await schemaExists(dataSource, live)) {
        carriedOver += await topUpFromLive(projection, store, dataSource, live, scratch, logger);
      }
      swapped = await inTransaction(dataSource, async (runner) => {
        await lockProjectionSchema(runner, live);
        const liveExists = await schemaExists(runner, live);
        if (liveExists && (await streamsAhead(runner, live, scratch)).length > 0) return false;
        if (liveExists) await runner.query(`ALTER SCHEMA ${quoteIdent(live)} RENAME TO ${quoteIdent(old)}`);
        await runner.query(`ALTER SCHEMA ${quoteIdent(scratch)} RENAME TO ${quoteIdent(live)}`);
        return true;
      });
    }
    await dropProjectionSchema(dataSource, old);
    const elapsedMs = Date.now() - started;
    return {
      projection: projection.name,
      schema: live,
      events: totals.events,
      applied: totals.applied,
      deadLettered: totals.deadLettered,
      carriedOver,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? (totals.events * 1000) / elapsedMs : 0,
    };
  } finally {
    if (!swapped) await dropProjectionSchema(dataSource, scratch).catch(() => undefined);
  }
}
