import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import type { DataSource, QueryRunner } from 'typeorm';
import { EVENTS_TABLE } from './schema';
import { inReadOnlySnapshot, rowsOf } from './sql';

export const CHECKPOINT_FORMAT = 'trialstream-checkpoint/1';

/** One event as a checkpoint pins it: its hash and the two order columns the database assigned. */
export type CheckpointedEvent = [hash: string, globalPosition: string, transactionId: string];

export interface CheckpointStream {
  streamId: string;
  /** The stream's version when the checkpoint was taken. */
  version: number;
  /** Hash of that version's event: the stream head. */
  head: string;
  /** Versions 1..version in order. */
  events: CheckpointedEvent[];
}

/**
 * The whole log at one moment, anchored outside the database: every stream head, and every event's hash,
 * position and transaction id. An auditor who keeps this file can later prove that no event before it
 * was altered, removed, reordered or inserted, even by someone able to recompute hashes and rewrite heads.
 */
export interface LogCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  takenAt: string;
  /** Highest global position included. */
  position: string;
  /** Every transaction below this id had finished when the checkpoint was taken: their events are all in it. */
  snapshotXmin: string;
  eventCount: number;
  streams: CheckpointStream[];
  /** SHA-256 over all of the above: what the log records, so a kept file can be matched to the log. */
  root: string;
}

/** What the log records of a checkpoint (the event `LogCheckpointed`); the root anchors the full file. */
export type CheckpointSummary = Omit<LogCheckpoint, 'streams'> & { streamCount: number };

const canonicalJson = configure({ deterministic: true, strict: true });

export function checkpointRoot(checkpoint: Omit<LogCheckpoint, 'root'>): string {
  const { format, takenAt, position, snapshotXmin, eventCount, streams } = checkpoint;
  const json = canonicalJson({ format, takenAt, position, snapshotXmin, eventCount, streams });
  return createHash('sha256')
    .update(json ?? '', 'utf8')
    .digest('hex');
}

export function summarizeCheckpoint({ streams, ...summary }: LogCheckpoint): CheckpointSummary {
  return { ...summary, streamCount: streams.length };
}

interface OrderRow {
  stream_id: string;
  stream_version: number;
  hash: string;
  global_position: string;
  transaction_id: string;
}

const PAGE_SIZE = 5000;

async function* eventsByStream(runner: QueryRunner): AsyncGenerator<OrderRow> {
  for (let cursor: [string, number] | null = null; ;) {
    const rows: OrderRow[] = await rowsOf<OrderRow>(
      runner,
      `SELECT stream_id, stream_version, hash, global_position::text AS global_position, transaction_id::text AS transaction_id
         FROM ${EVENTS_TABLE} AS e
        ${cursor ? 'WHERE (e.stream_id, e.stream_version) > ($1, $2)' : ''}
        ORDER BY e.stream_id, e.stream_version LIMIT ${PAGE_SIZE}`,
      cursor ?? [],
    );
    yield* rows;
    if (rows.length < PAGE_SIZE) return;
    cursor = [rows[rows.length - 1].stream_id, rows[rows.length - 1].stream_version];
  }
}

/** A checkpoint of everything committed now. Reads only. */
export function takeCheckpoint(dataSource: DataSource, takenAt: Date): Promise<LogCheckpoint> {
  return inReadOnlySnapshot(dataSource, async (runner) => {
    const [{ xmin }] = await rowsOf<{ xmin: string }>(runner, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    const streams: CheckpointStream[] = [];
    let position = 0n;
    let eventCount = 0;
    for await (const row of eventsByStream(runner)) {
      let stream = streams[streams.length - 1];
      if (stream?.streamId !== row.stream_id) {
        stream = { streamId: row.stream_id, version: 0, head: '', events: [] };
        streams.push(stream);
      }
      stream.version = row.stream_version;
      stream.head = row.hash;
      stream.events.push([row.hash, row.global_position, row.transaction_id]);
      eventCount += 1;
      if (BigInt(row.global_position) > position) position = BigInt(row.global_position);
    }
    const content = {
      format: CHECKPOINT_FORMAT,
      takenAt: takenAt.toISOString(),
      position: position.toString(),
      snapshotXmin: xmin,
      eventCount,
      streams,
    } as const;
    return { ...content, root: checkpointRoot(content) };
  });
}

export type CheckpointDifferenceKind = 'missing' | 'hash' | 'position' | 'transaction' | 'inserted';

export interface CheckpointDifference {
  streamId: string;
  streamVersion: number;
  kind: CheckpointDifferenceKind;
  /** The global position the checkpoint recorded for this event (for `inserted`: the stored one). */
  globalPosition: string;
}

export interface CheckpointComparison {
  ok: boolean;
  checkpoint: CheckpointSummary;
  streamsCompared: number;
  eventsCompared: number;
  /** The first difference of each stream, earliest (by the checkpoint's position) first. */
  differences: CheckpointDifference[];
}

/**
 * Compares the log with a checkpoint taken earlier: every event it pins must still be there with the same
 * hash, position and transaction id, and no event of a transaction that had finished by then may have
 * appeared since. Reads only.
 */
export function compareWithCheckpoint(dataSource: DataSource, checkpoint: LogCheckpoint): Promise<CheckpointComparison> {
  return inReadOnlySnapshot(dataSource, async (runner) => {
    const walk = new CheckpointWalk(checkpoint);
    for await (const row of eventsByStream(runner)) walk.compare(row);
    return walk.result();
  });
}

/** Compares the stored events, in stream order, with what the checkpoint pinned; keeps each stream's first difference. */
class CheckpointWalk {
  private readonly pinned: Map<string, LogCheckpoint['streams'][number]>;
  private readonly differences = new Map<string, CheckpointDifference>();
  private readonly seenVersions = new Map<string, number>();
  private eventsCompared = 0;

  constructor(private readonly checkpoint: LogCheckpoint) {
    this.pinned = new Map(checkpoint.streams.map((stream) => [stream.streamId, stream]));
  }

  compare(row: OrderRow): void {
    const stream = this.pinned.get(row.stream_id);
    const expected = stream?.events[row.stream_version - 1];
    if (!stream || !expected) {
      // an event the checkpoint does not pin, of a transaction that had finished when it was taken: written in since
      if (BigInt(row.transaction_id) < BigInt(this.checkpoint.snapshotXmin)) {
        this.differ({ streamId: row.stream_id, streamVersion: row.stream_version, kind: 'inserted', globalPosition: row.global_position });
      }
      return;
    }
    this.eventsCompared += 1;
    const expectedVersion = (this.seenVersions.get(row.stream_id) ?? 0) + 1;
    if (row.stream_version !== expectedVersion) {
      this.differ({
        streamId: row.stream_id,
        streamVersion: expectedVersion,
        kind: 'missing',
        globalPosition: stream.events[expectedVersion - 1][1],
      });
    }
    this.seenVersions.set(row.stream_id, row.stream_version);
    const [hash, globalPosition, transactionId] = expected;
    const kind: CheckpointDifferenceKind | null =
      row.hash !== hash
        ? 'hash'
        : row.global_position !== globalPosition
          ? 'position'
          : row.transaction_id !== transactionId
            ? 'transaction'
            : null;
    if (kind) this.differ({ streamId: row.stream_id, streamVersion: row.stream_version, kind, globalPosition });
  }

  /** Streams that end before the version the checkpoint pinned, then every difference, earliest position first. */
  result(): CheckpointComparison {
    for (const stream of this.checkpoint.streams) {
      const stored = this.seenVersions.get(stream.streamId) ?? 0;
      if (stored < stream.version) {
        const version = stored + 1;
        this.differ({ streamId: stream.streamId, streamVersion: version, kind: 'missing', globalPosition: stream.events[version - 1][1] });
      }
    }
    const ordered = [...this.differences.values()].sort((a, b) => {
      const byPosition = BigInt(a.globalPosition) - BigInt(b.globalPosition);
      return byPosition < 0n ? -1 : byPosition > 0n ? 1 : 0;
    });
    return {
      ok: ordered.length === 0,
      checkpoint: summarizeCheckpoint(this.checkpoint),
      streamsCompared: this.checkpoint.streams.length,
      eventsCompared: this.eventsCompared,
      differences: ordered,
    };
  }

  private differ(difference: CheckpointDifference): void {
    if (!this.differences.has(difference.streamId)) this.differences.set(difference.streamId, difference);
  }
}

export class MalformedCheckpointError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'MalformedCheckpointError';
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const DIGITS = /^\d{1,20}$/;

/** A checkpoint read from a file, checked field by field; its root must match its content. */
export function parseCheckpoint(text: string): LogCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedCheckpointError('file', `not JSON (${(error as Error).message})`);
  }
  const fail = (field: string, problem: string): never => {
    throw new MalformedCheckpointError(field, problem);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('file', 'must be a JSON object');
  const file = value as Record<string, unknown>;
  if (file.format !== CHECKPOINT_FORMAT) fail('format', `must be "${CHECKPOINT_FORMAT}"`);
  if (typeof file.takenAt !== 'string' || Number.isNaN(Date.parse(file.takenAt))) fail('takenAt', 'must be an ISO 8601 date-time');
  for (const field of ['position', 'snapshotXmin'] as const) {
    if (typeof file[field] !== 'string' || !DIGITS.test(file[field])) fail(field, 'must be a decimal string');
  }
  if (!Number.isInteger(file.eventCount) || (file.eventCount as number) < 0) fail('eventCount', 'must be a non-negative integer');
  if (typeof file.root !== 'string' || !HEX64.test(file.root)) fail('root', 'must be a 64-character lower-case hex SHA-256');
  if (!Array.isArray(file.streams)) fail('streams', 'must be an array');
  let events = 0;
  (file.streams as unknown[]).forEach((raw, index) => {
    const at = `streams[${index}]`;
    if (typeof raw !== 'object' || raw === null) fail(at, 'must be an object');
    const stream = raw as Record<string, unknown>;
    if (typeof stream.streamId !== 'string' || stream.streamId.length === 0) fail(`${at}.streamId`, 'must be a non-empty string');
    if (!Number.isInteger(stream.version) || (stream.version as number) < 1) fail(`${at}.version`, 'must be a positive integer');
    if (typeof stream.head !== 'string' || !HEX64.test(stream.head)) fail(`${at}.head`, 'must be a 64-character hex hash');
    if (!Array.isArray(stream.events) || stream.events.length !== stream.version)
      fail(`${at}.events`, `must list the ${String(stream.version)} events of the stream`);
    (stream.events as unknown[]).forEach((event, version) => {
      const where = `${at}.events[${version}]`;
      if (!Array.isArray(event) || event.length !== 3) fail(where, 'must be [hash, globalPosition, transactionId]');
      const [hash, position, transaction] = event as unknown[];
      if (typeof hash !== 'string' || !HEX64.test(hash)) fail(`${where}[0]`, 'must be a 64-character hex hash');
      if (typeof position !== 'string' || !DIGITS.test(position)) fail(`${where}[1]`, 'must be a global position (decimal string)');
      if (typeof transaction !== 'string' || !DIGITS.test(transaction)) fail(`${where}[2]`, 'must be a transaction id (decimal string)');
    });
    if ((stream.events as string[][])[(stream.version as number) - 1][0] !== stream.head)
      fail(`${at}.head`, 'must be the hash of the last event');
    events += (stream.events as unknown[]).length;
  });
  if (events !== file.eventCount) fail('eventCount', `says ${String(file.eventCount)} but the streams list ${events} events`);
  const checkpoint = file as unknown as LogCheckpoint;
  if (checkpointRoot(checkpoint) !== checkpoint.root) fail('root', 'does not match the content: the file was altered or truncated');
  return checkpoint;
}
