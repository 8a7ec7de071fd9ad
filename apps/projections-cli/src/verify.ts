import { verifyProjection, type VerifyReport } from '@trialstream/projections';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { knownProjections, openPlatformDatabase, projectionsNamed } from '../../platform/src/platform-database';
import { describeError } from '@trialstream/config';

/**
 * `npm run verify-projections [-- <projection>...]`: rebuilds each projection (all by default) into a
 * scratch schema, compares row checksums with the live read model and prints every difference.
 * Exits 1 when any projection differs.
 */
export async function runVerifyCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (argv.some((arg) => arg.startsWith('-'))) {
    io.err(`Usage: npm run verify-projections [-- <projection>...]\nProjections: ${knownProjections()}`);
    return 2;
  }
  const { projections, unknown } = projectionsNamed(argv);
  if (unknown.length > 0) {
    io.err(`Unknown projection "${unknown[0]}". Projections: ${knownProjections()}`);
    return 2;
  }
  const database = await openPlatformDatabase(env, 'trialstream-projections-cli');
  let differing = 0;
  try {
    for (const projection of projections) {
      try {
        const report = await verifyProjection(projection, database.store, database.dataSource);
        for (const line of describe(report)) io.out(line);
        if (!report.identical) differing += 1;
      } catch (error) {
        io.err(`${projection.name}: could not verify: ${describeError(error)}`);
        differing += 1;
      }
    }
  } finally {
    await database.close();
  }
  return differing > 0 ? 1 : 0;
}

function describe(report: VerifyReport): string[] {
  if (report.identical) {
    const rows = report.tables.map((table) => `${table.table} ${table.liveRows}`).join(', ');
    return [`${report.projection}: identical to a rebuild from ${report.events} events (rows: ${rows})`];
  }
  const lines = [`${report.projection}: DIFFERS from a rebuild from ${report.events} events`];
  for (const table of report.tables) {
    if (table.differences.length === 0) continue;
    lines.push(`  ${report.schema}.${table.table}: ${table.liveRows} live rows, ${table.rebuiltRows} rebuilt rows`);
    for (const difference of table.differences) lines.push(`    ${difference.kind.padEnd(16)} ${JSON.stringify(difference.key)}`);
    if (table.truncated) lines.push('    ... more differences not listed');
  }
  return lines;
}

if (require.main === module) runAsProcess(runVerifyCli);
