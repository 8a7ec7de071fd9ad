import {
  compareWithCheckpoint,
  type CheckpointComparison,
  type CheckpointDifferenceKind,
  type IntegrityProblem,
  type IntegrityReport,
  type LogCheckpoint,
} from '@trialstream/event-store';
import {
  readDeadLetters,
  verifyProjection,
  type CatchUpSource,
  type Projection,
  type ProjectionLogger,
  type TableComparison,
} from '@trialstream/projections';
import type { DataSource } from 'typeorm';
import { describeError } from '@trialstream/config';

/** What the platform verifies of the log itself: PostgresEventStore answers it. */
export interface VerifiableStore extends CatchUpSource {
  verifyIntegrity(): Promise<IntegrityReport>;
}

export interface ReadModelCheck {
  projection: string;
  schema: string;
  /** True when every row equals a rebuild from the same events. */
  identical: boolean;
  /** Events the rebuild replayed. */
  events: number;
  tables: TableComparison[];
  /** Events the read model could not apply (kept in its dead-letter table). */
  deadLetters: number;
  /** Why the read model could not be compared at all. */
  error: string | null;
}

export interface PlatformVerification {
  ok: boolean;
  /** Hash chains, version continuity and position order of every stream; the first broken link per stream. */
  log: IntegrityReport;
  /** Against a checkpoint kept by the auditor, when one was given: what changed before it. */
  anchor?: CheckpointComparison;
  readModels: ReadModelCheck[];
}

export interface VerifyPlatformOptions {
  logger?: ProjectionLogger;
  /** Told before each read model is rebuilt and compared (progress for the CLI). */
  onReadModel?: (projection: Projection) => void;
  /** A checkpoint taken earlier: every event before it must still be exactly as it pinned it. */
  against?: LogCheckpoint;
  /** Check the log only, not the read models. */
  logOnly?: boolean;
}

/**
 * Everything an inspector needs to trust the data: the log is unaltered (hash chains, gapless
 * versions, increasing positions, stream heads), and every read model equals a rebuild from it.
 */
export async function verifyPlatform(
  store: VerifiableStore,
  dataSource: DataSource,
  projections: readonly Projection[],
  options: VerifyPlatformOptions = {},
): Promise<PlatformVerification> {
  const log = await store.verifyIntegrity();
  const anchor = options.against ? await compareWithCheckpoint(dataSource, options.against) : undefined;
  const readModels: ReadModelCheck[] = [];
  for (const projection of options.logOnly ? [] : projections) {
    options.onReadModel?.(projection);
    readModels.push(await checkReadModel(projection, store, dataSource, options.logger));
  }
  const ok = log.ok && (anchor?.ok ?? true) && readModels.every((check) => check.identical && check.error === null);
  return { ok, log, ...(anchor ? { anchor } : {}), readModels };
}

async function checkReadModel(
  projection: Projection,
  store: CatchUpSource,
  dataSource: DataSource,
  logger?: ProjectionLogger,
): Promise<ReadModelCheck> {
  try {
    const report = await verifyProjection(projection, store, dataSource, { logger });
    const deadLetters = (await readDeadLetters(dataSource, projection.schema)).length;
    return {
      projection: projection.name,
      schema: projection.schema,
      identical: report.identical,
      events: report.events,
      tables: report.tables,
      deadLetters,
      error: null,
    };
  } catch (error) {
    return {
      projection: projection.name,
      schema: projection.schema,
      identical: false,
      events: 0,
      tables: [],
      deadLetters: 0,
      error: describeError(error),
    };
  }
}

const PROBLEMS: Readonly<Record<IntegrityProblem, string>> = {
  'hash-mismatch': "the event's content no longer matches its hash",
  'previous-hash-mismatch': 'the event does not chain to the one before it',
  'version-gap': 'a stream version is missing or repeated before it',
  'position-order': 'its global position is not after the previous event of the stream',
  'salt-missing': "the event's chain salt is gone, so its hash cannot be checked",
  'head-mismatch': "the stream head disagrees with the stream's last event (events removed from the end?)",
};

const CHANGES: Readonly<Record<CheckpointDifferenceKind, string>> = {
  missing: 'the event the checkpoint pinned is gone',
  hash: 'the event differs from the one the checkpoint pinned (content rewritten, hashes recomputed?)',
  position: 'its global position differs from the checkpoint',
  transaction: 'its transaction id differs from the checkpoint',
  inserted: 'an event of a transaction finished before the checkpoint, which the checkpoint does not hold',
};

function describeAnchor(anchor: CheckpointComparison): string[] {
  const { checkpoint } = anchor;
  const of = `checkpoint of ${checkpoint.takenAt} (position ${checkpoint.position}, root ${checkpoint.root.slice(0, 16)}…)`;
  if (anchor.ok) return [`${of}: holds (${anchor.streamsCompared} streams, ${anchor.eventsCompared} events as pinned)`];
  const [first] = anchor.differences;
  return [
    `${of}: DIFFERS, first at ${first.streamId} version ${first.streamVersion}`,
    ...anchor.differences.map(
      (d) => `  ${d.streamId} version ${d.streamVersion} (pinned at global position ${d.globalPosition}): ${d.kind}: ${CHANGES[d.kind]}`,
    ),
  ];
}

/** The report as lines a person reads: what holds, and for each failure where it is. */
export function describeVerification(report: PlatformVerification): string[] {
  const lines: string[] = [];
  const { log } = report;
  lines.push(
    log.ok
      ? `event log: intact (${log.streamsChecked} streams, ${log.eventsChecked} events: hash chains, versions and positions hold)`
      : `event log: ${log.brokenLinks.length} stream(s) broken (${log.streamsChecked} streams, ${log.eventsChecked} events checked)`,
  );
  for (const link of log.brokenLinks) {
    const where = link.eventId ? `event ${link.eventId} at global position ${link.globalPosition}` : 'no event there';
    lines.push(`  ${link.streamId} version ${link.streamVersion} (${where}): ${link.problem}: ${PROBLEMS[link.problem]}`);
  }
  if (report.anchor) lines.push(...describeAnchor(report.anchor));
  for (const check of report.readModels) {
    const deadLetters = check.deadLetters > 0 ? `; ${check.deadLetters} event(s) in its dead-letter table` : '';
    if (check.error !== null) {
      lines.push(`read model ${check.projection}: could not be verified: ${check.error}`);
    } else if (check.identical) {
      const tables = check.tables.map((table) => `${table.table} ${table.liveRows} rows`).join(', ');
      lines.push(`read model ${check.projection}: identical to a rebuild from ${check.events} events (${tables})${deadLetters}`);
    } else {
      lines.push(`read model ${check.projection}: DIFFERS from a rebuild from ${check.events} events${deadLetters}`);
      for (const table of check.tables.filter((candidate) => candidate.differences.length > 0)) {
        lines.push(
          `  ${table.table}: ${table.liveRows} live rows, ${table.rebuiltRows} rebuilt rows${table.truncated ? ', more differences than listed' : ''}`,
        );
        for (const difference of table.differences) lines.push(`    ${difference.kind} ${JSON.stringify(difference.key)}`);
      }
    }
  }
  lines.push(report.ok ? 'verification passed' : 'verification FAILED');
  return lines;
}
