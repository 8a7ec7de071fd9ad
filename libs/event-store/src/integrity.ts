import type { DataSource, QueryRunner } from 'typeorm';
import { GENESIS_HASH, computeEventHash } from './hash-chain';
import { EVENT_COLUMNS, chainedFields, toStoredEnvelope, type EventRow } from './row-mapping';
import { EVENTS_TABLE, STREAMS_TABLE } from './schema';
import { rowsOf } from './sql';

export type IntegrityProblem =
  | 'hash-mismatch'
  | 'previous-hash-mismatch'
  | 'version-gap'
  | 'position-order'
  /** The stream head (version, last hash) disagrees with the last event: events were removed from the end. */
  | 'head-mismatch';

export interface BrokenLink {
  streamId: string;
  /** The version at which the chain first breaks (for head-mismatch: the version the head claims). */
  streamVersion: number;
  /** The event found there, or null when the event the head claims is missing. */
  eventId: string | null;
  globalPosition: string | null;
  problem: IntegrityProblem;
}

export interface IntegrityReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** At most one per stream: the first link that does not hold. */
  brokenLinks: BrokenLink[];
}

interface ChainState {
  streamId: string;
  version: number;
  hash: string;
  globalPosition: bigint;
  broken: boolean;
}

const PAGE_SIZE = 2000;

/**
 * Recomputes every stream's chain from the raw rows (no upcasting), in one snapshot so that appends
 * running meanwhile cannot look like tampering.
 */
export async function verifyIntegrity(dataSource: DataSource): Promise<IntegrityReport> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction('REPEATABLE READ');
    await runner.query('SET TRANSACTION READ ONLY');
    const report = await verifyWithin(runner);
    await runner.commitTransaction();
    return report;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}

async function verifyWithin(runner: QueryRunner): Promise<IntegrityReport> {
  const heads = new Map(
    (await rowsOf<{ stream_id: string; version: number; last_hash: string }>(
      runner,
      `SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}`,
    )).map((row) => [row.stream_id, { version: row.version, lastHash: row.last_hash }]),
  );
  const brokenLinks: BrokenLink[] = [];
  let eventsChecked = 0;
  let streamsChecked = 0;
  let chain = null as ChainState | null;

  const closeStream = (state: ChainState) => {
    streamsChecked += 1;
    const head = heads.get(state.streamId) ?? { version: 0, lastHash: GENESIS_HASH };
    heads.delete(state.streamId);
    if (!state.broken && (head.version !== state.version || head.lastHash !== state.hash)) {
      brokenLinks.push(headMismatch(state.streamId, head.version));
    }
  };

  for (let cursor: [string, number] | null = null; ; ) {
    const rows: EventRow[] = await rowsOf<EventRow>(
      runner,
      cursor
        ? `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_TABLE} AS e
            WHERE (e.stream_id, e.stream_version) > ($1, $2) ORDER BY e.stream_id, e.stream_version LIMIT ${PAGE_SIZE}`
        : `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_TABLE} AS e ORDER BY e.stream_id, e.stream_version LIMIT ${PAGE_SIZE}`,
      cursor ?? [],
    );
    for (const row of rows) {
      eventsChecked += 1;
      if (chain?.streamId !== row.stream_id) {
        if (chain) closeStream(chain);
        chain = { streamId: row.stream_id, version: 0, hash: GENESIS_HASH, globalPosition: -1n, broken: false };
      }
      if (chain.broken) continue;
      const problem = firstProblem(chain, row);
      if (problem) {
        chain.broken = true;
        brokenLinks.push({
          streamId: row.stream_id,
          streamVersion: row.stream_version,
          eventId: row.event_id,
          globalPosition: row.global_position,
          problem,
        });
        continue;
      }
      chain.version = row.stream_version;
      chain.hash = row.hash;
      chain.globalPosition = BigInt(row.global_position);
    }
    if (rows.length < PAGE_SIZE) break;
    const last = rows[rows.length - 1];
    cursor = [last.stream_id, last.stream_version];
  }
  if (chain) closeStream(chain);
  // Heads whose stream has no events left at all.
  for (const [streamId, head] of heads) {
    if (head.version === 0) continue;
    streamsChecked += 1;
    brokenLinks.push(headMismatch(streamId, head.version));
  }
  return { ok: brokenLinks.length === 0, streamsChecked, eventsChecked, brokenLinks };
}

function firstProblem(chain: ChainState, row: EventRow): IntegrityProblem | null {
  if (row.stream_version !== chain.version + 1) return 'version-gap';
  if (BigInt(row.global_position) <= chain.globalPosition) return 'position-order';
  if (row.previous_hash !== chain.hash) return 'previous-hash-mismatch';
  if (computeEventHash(chainedFields(toStoredEnvelope(row))) !== row.hash) return 'hash-mismatch';
  return null;
}

function headMismatch(streamId: string, version: number): BrokenLink {
  return { streamId, streamVersion: version, eventId: null, globalPosition: null, problem: 'head-mismatch' };
}
