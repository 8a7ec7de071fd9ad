import { parseArgs } from 'node:util';
import { recordCheckpoint } from '@trialstream/event-store';
import { openPlatformDatabase, type PlatformDatabase } from '../../platform/src/platform-database';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { describeError } from '@trialstream/config';

const USAGE = `Usage: npm run -s audit:checkpoint [-- --out <file>]

Takes a checkpoint of the whole log (every stream head, every event's hash, global position and transaction
id, a root over all of it, the position and the time), records its root in the log (a LogCheckpointed event)
and prints it as JSON. Keep the file outside the database: \`npm run audit:verify -- --against <file>\` later
proves that nothing before it was altered, removed, reordered or inserted, stream heads included.
  --out <file>   also write the checkpoint to this file

Exit code: 0 done, 2 the checkpoint could not be taken.
Connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.`;

/** `npm run audit:checkpoint`: an anchor for later verification, kept by the auditor. */
export async function runCheckpoint(argv: string[], env: NodeJS.ProcessEnv, io: CliIo, writeFile = defaultWriteFile): Promise<number> {
  let out: string | undefined;
  try {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    out = values.out;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let database: PlatformDatabase | undefined;
  try {
    database = await openPlatformDatabase(env, 'trialstream-audit-checkpoint');
    const checkpoint = await recordCheckpoint(database.store, database.dataSource, () => new Date());
    const json = JSON.stringify(checkpoint);
    if (out) await writeFile(out, json);
    io.out(json);
    io.err(
      `checkpoint at position ${checkpoint.position} (${checkpoint.streams.length} streams, ${checkpoint.eventCount} events): root ${checkpoint.root}`,
    );
    return 0;
  } catch (error) {
    io.err(`the checkpoint could not be taken: ${describeError(error)}`);
    return 2;
  } finally {
    await database?.close();
  }
}

async function defaultWriteFile(path: string, content: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, content, 'utf8');
}

if (require.main === module) runAsProcess((argv, env, io) => runCheckpoint(argv, env, io));
