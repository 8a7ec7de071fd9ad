import { parseArgs } from 'node:util';
import { describeVerification, verifyPlatform } from '../../audit/src/verification/verify-platform';
import { PLATFORM_PROJECTIONS } from '../../platform/src/migrations';
import { openPlatformDatabase, type PlatformDatabase } from '../../platform/src/platform-database';
import { cliLogger, runAsProcess, type CliIo } from '@trialstream/cli';

const USAGE = `Usage: npm run audit:verify [-- --json]

Checks every stream's hash chain, the continuity of stream versions and global positions, and that
every read model equals a rebuild from the log; names the first broken link of each stream.
  --json   the whole report as JSON on stdout

Exit code: 0 everything holds, 1 something was altered or differs, 2 the check could not run.
Connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.`;

/** `npm run audit:verify`: the platform's tamper evidence from the command line. */
export async function runVerify(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    json = values.json ?? false;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  let database: PlatformDatabase | undefined;
  try {
    database = await openPlatformDatabase(env, 'trialstream-audit-verify');
    const report = await verifyPlatform(database.store, database.dataSource, PLATFORM_PROJECTIONS, {
      logger: cliLogger(io, env),
      onReadModel: (projection) => io.err(`rebuilding read model ${projection.name} to compare it with the live one ...`),
    });
    if (json) io.out(JSON.stringify(report, null, 2));
    else for (const line of describeVerification(report)) io.out(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    io.err(`verification could not run: ${(error as Error)?.message ?? String(error)}`);
    return 2;
  } finally {
    await database?.close();
  }
}

if (require.main === module) runAsProcess(runVerify);
