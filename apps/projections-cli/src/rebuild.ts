import { Presets, SingleBar } from 'cli-progress';
import { rebuildProjection, type ReplayProgress } from '@trialstream/projections';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { knownProjections, openPlatformDatabase, projectionsNamed } from '../../platform/src/platform-database';
import { describeError } from '@trialstream/config';

const USAGE = 'Usage: npm run rebuild -- <projection>';

/**
 * `npm run rebuild -- <projection>`: replays the whole store into a fresh copy of the read model at
 * full speed, with a progress bar, and swaps it in for the live one.
 */
export async function runRebuildCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    io.err(`${USAGE}\nProjections: ${knownProjections()}`);
    return 2;
  }
  const { projections, unknown } = projectionsNamed(argv);
  if (unknown.length > 0) {
    io.err(`Unknown projection "${unknown[0]}". Projections: ${knownProjections()}`);
    return 2;
  }
  const [projection] = projections;
  const database = await openPlatformDatabase(env, 'trialstream-projections-cli');
  const bar = new SingleBar(
    {
      format: `${projection.name} [{bar}] {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}`,
      stream: io.progressStream,
      etaBuffer: 20,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  try {
    io.out(`Rebuilding ${projection.name} from ${database.description} ...`);
    let started = false;
    const onProgress = (progress: ReplayProgress) => {
      const total = Math.max(progress.total ?? 0, progress.events);
      const payload = { speed: Math.round(progress.eventsPerSecond) };
      if (!started) {
        bar.start(total, progress.events, payload);
        started = true;
      } else {
        if (total > bar.getTotal()) bar.setTotal(total);
        bar.update(progress.events, payload);
      }
    };
    const report = await rebuildProjection(projection, database.store, database.dataSource, { onProgress });
    bar.stop();
    io.out(
      `Rebuilt ${report.projection} into schema ${report.schema}: ${report.events} events in ${(report.elapsedMs / 1000).toFixed(1)} s ` +
        `(${Math.round(report.eventsPerSecond)} events/s), ${report.carriedOver} carried over from the live model, ${report.deadLettered} dead-lettered.`,
    );
    return 0;
  } catch (error) {
    bar.stop();
    io.err(`Rebuilding ${projection.name} failed: ${describeError(error)}`);
    return 1;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsProcess(runRebuildCli);
