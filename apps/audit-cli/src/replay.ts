import { dropProjectionSchema, type Projection } from '@trialstream/projections';
import { Presets, SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import {
  describePointInTime,
  InvalidPointInTimeError,
  parseUntil,
  readBoundOf,
  type PointInTime,
} from '../../audit/src/point-in-time/point-in-time';
import { readModelRows } from '../../audit/src/point-in-time/read-model-rows';
import { countEventsWithin, pointInTimeSchemaName, replayProjection } from '../../audit/src/point-in-time/replay-projection';
import { PLATFORM_PROJECTIONS } from '../../platform/src/migrations';
import { openPlatformDatabase, type PlatformDatabase } from '../../platform/src/platform-database';
import { cliLogger, runAsProcess, type CliIo } from '@trialstream/cli';
import { describeError } from '@trialstream/config';

const usage = () => `Usage: npm run replay -- --projection <name> [--until <time|position>] [--table <name>] [--keep]

Rebuilds a read model as it stood at a past moment, by replaying the log up to it into a scratch
schema, and prints its rows on stdout as NDJSON ({"table": ..., "row": {...}}); progress on stderr.
  --projection  one of: ${PLATFORM_PROJECTIONS.map((projection) => projection.name).join(', ')}
  --until       a recorded-at instant with offset (2026-06-01T12:00:00Z) or a global position (digits);
                the whole log when omitted
  --table       print only this table
  --keep        keep the scratch schema for SQL queries (its name is printed) instead of dropping it

Connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.`;

const ROWS_PER_READ = 1000;

interface ReplayRequest {
  projection: Projection;
  until: PointInTime | null;
  table?: string;
  keep: boolean;
}

/** `npm run replay`: what a read model showed at a past moment, from the command line. */
export async function runReplay(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let request: ReplayRequest | 'help';
  try {
    request = replayRequestOf(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  if (request === 'help') {
    io.out(usage());
    return 0;
  }

  let database: PlatformDatabase | undefined;
  const schema = pointInTimeSchemaName(request.projection);
  let keep = false;
  try {
    database = await openPlatformDatabase(env, 'trialstream-replay');
    const until = request.until ? readBoundOf(request.until) : {};
    const total = await countEventsWithin(database.dataSource, until);
    const bar = progressBar(io, request.projection.name, total);
    const totals = await replayProjection(request.projection, database.store, database.dataSource, {
      schema,
      until,
      logger: cliLogger(io, env),
      onProgress: (events) => bar?.update(Math.min(events, total)),
    }).finally(() => bar?.stop());

    const counts = await printRows(database.dataSource, request.projection, schema, request.table, io);
    const moment = request.until ? describePointInTime(request.until) : 'the end of the log';
    io.err(`${request.projection.name} as of ${moment}: ${totals.events} events replayed, ${totals.deadLettered} dead-lettered; ${counts}`);
    keep = request.keep;
    if (keep) io.err(`kept the read model in schema ${schema}`);
    return 0;
  } catch (error) {
    io.err(`replay failed: ${describeError(error)}`);
    return 1;
  } finally {
    if (database && !keep) await dropProjectionSchema(database.dataSource, schema).catch(() => undefined);
    await database?.close();
  }
}

function replayRequestOf(argv: string[]): ReplayRequest | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      projection: { type: 'string' },
      until: { type: 'string' },
      table: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.projection === undefined) throw new Error('--projection is required');
  const projection = PLATFORM_PROJECTIONS.find((candidate) => candidate.name === values.projection);
  if (!projection) throw new Error(`there is no projection "${values.projection}"`);
  if (values.table !== undefined && !projection.resolvedTables.has(values.table)) {
    throw new Error(
      `projection ${projection.name} has no table "${values.table}" (it has ${[...projection.resolvedTables.keys()].join(', ')})`,
    );
  }
  let until: PointInTime | null;
  try {
    until = values.until === undefined ? null : parseUntil(values.until);
  } catch (error) {
    if (error instanceof InvalidPointInTimeError) throw new Error(`--until: ${error.message}`);
    throw error;
  }
  return { projection, until, table: values.table, keep: values.keep ?? false };
}

function progressBar(io: CliIo, projection: string, total: number): SingleBar | null {
  if (!io.progressStream) return null;
  const bar = new SingleBar(
    {
      format: `replaying ${projection} |{bar}| {value}/{total} events | {eta_formatted} left`,
      stream: io.progressStream,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/** Every row of the chosen tables as one JSON line each; returns the counts for the summary. */
async function printRows(
  dataSource: DataSource,
  projection: Projection,
  schema: string,
  table: string | undefined,
  io: CliIo,
): Promise<string> {
  const counts: string[] = [];
  const tables = table === undefined ? [...projection.resolvedTables.keys()] : [table];
  for (const name of tables) {
    let printed = 0;
    for (let offset = 0; ; offset += ROWS_PER_READ) {
      const [slice] = await readModelRows(dataSource, projection, schema, { table: name, limit: ROWS_PER_READ, offset });
      for (const row of slice.rows) io.out(JSON.stringify({ table: name, row }));
      printed += slice.rows.length;
      if (slice.rows.length < ROWS_PER_READ) break;
    }
    counts.push(`${name}: ${printed} rows`);
  }
  return counts.join(', ');
}

if (require.main === module) runAsProcess(runReplay);
