import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MalformedCheckpointError, parseCheckpoint, type LogCheckpoint } from '@trialstream/event-store';
import { describeVerification, verifyPlatform } from '../../audit/src/verification/verify-platform';
import { PLATFORM_PROJECTIONS } from '../../platform/src/migrations';
import { openPlatformDatabase, type PlatformDatabase } from '../../platform/src/platform-database';
import { cliLogger, runAsProcess, type CliIo } from '@trialstream/cli';
import { describeError } from '@trialstream/config';

const USAGE = `Usage: npm run audit:verify [-- --json] [--against <checkpoint file>] [--log-only]

Checks every stream's hash chain, the continuity of stream versions and global positions, and that
every read model equals a rebuild from the log; names the first broken link of each stream.
  --json                        the whole report as JSON on stdout
  --against <checkpoint file>   also compare the log with a checkpoint kept earlier (npm run audit:checkpoint):
                                names the first stream and version that differ, stream heads rewritten or not
  --log-only                    skip the read models

Verification only reads: it never changes data.

Exit code: 0 everything holds, 1 something was altered or differs, 2 the check could not run.
Connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.`;

/** `npm run audit:verify`: the platform's tamper evidence from the command line. */
export async function runVerify(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let json: boolean;
  let logOnly: boolean;
  let againstFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        against: { type: 'string' },
        'log-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    json = values.json ?? false;
    logOnly = values['log-only'] ?? false;
    againstFile = values.against;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let against: LogCheckpoint | undefined;
  if (againstFile !== undefined) {
    try {
      against = parseCheckpoint(await readFile(againstFile, 'utf8'));
    } catch (error) {
      const what = error instanceof MalformedCheckpointError ? 'is not a valid checkpoint' : 'cannot be read';
      io.err(`checkpoint file ${againstFile} ${what}: ${(error as Error).message}`);
      return 2;
    }
  }

  let database: PlatformDatabase | undefined;
  try {
    database = await openPlatformDatabase(env, 'trialstream-audit-verify');
    const report = await verifyPlatform(database.store, database.dataSource, PLATFORM_PROJECTIONS, {
      against,
      logOnly,
      logger: cliLogger(io, env),
      onReadModel: (projection) => io.err(`rebuilding read model ${projection.name} to compare it with the live one ...`),
    });
    if (json) io.out(JSON.stringify(report, null, 2));
    else for (const line of describeVerification(report)) io.out(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    io.err(`verification could not run: ${describeError(error)}`);
    return 2;
  } finally {
    await database?.close();
  }
}

if (require.main === module) runAsProcess(runVerify);
