import type { DataSource, QueryRunner } from 'typeorm';
import { GENESIS_HASH, computeEventHash } from './hash-chain';
import { EVENT_COLUMNS, chainedFields, toStoredEnvelope, type EventRow } from './row-mapping';
import { CHAIN_FORMATS_TABLE, EVENT_SALTS_TABLE, EVENTS_TABLE, STREAMS_TABLE } from './schema';
import { inReadOnlySnapshot, rowsOf } from './sql';

export type IntegrityProblem =
  | 'hash-mismatch'
  | 'previous-hash-mismatch'
  | 'version-gap'
  | 'position-order'
  /** A salted-format event whose salt is gone. */
  | 'salt-missing'
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

type SaltedRow = EventRow & { salt: string | null };

/** The position from which events carry a salted hash; none recorded means no event does. */
async function saltedFrom(runner: QueryRunner): Promise<bigint | null> {
  const rows = await rowsOf<{ from_global_position: string }>(
    runner,
    `SELECT from_global_position::text AS from_global_position FROM ${CHAIN_FORMATS_TABLE} WHERE format = 2`,
  );
  return rows.length === 0 ? null : BigInt(rows[0].from_global_position);
}

const PAGE_SIZE = 2000;

/**
 * Recomputes every stream's chain from the raw rows (no upcasting), in one snapshot so that appends
 * running meanwhile cannot look like tampering.
 */
export function verifyIntegrity(dataSource: DataSource): Promise<IntegrityReport> {
  return inReadOnlySnapshot(dataSource, verifyWithin);
}

async function verifyWithin(runner: QueryRunner): Promise<IntegrityReport> {
  const walk = new ChainWalk(await readHeads(runner), await saltedFrom(runner));
  for await (const rows of eventPages(runner)) for (const row of rows) walk.check(row);
  return walk.report();
}

type Head = { version: number; lastHash: string };

async function readHeads(runner: QueryRunner): Promise<Map<string, Head>> {
  const rows = await rowsOf<{ stream_id: string; version: number; last_hash: string }>(
    runner,
    `SELECT stream_id, version, last_hash FROM ${STREAMS_TABLE}`,
  );
  return new Map(rows.map((row) => [row.stream_id, { version: row.version, lastHash: row.last_hash }]));
}

/** Every event with its salt, ordered by stream and version, a page at a time. */
async function* eventPages(runner: QueryRunner): AsyncGenerator<SaltedRow[]> {
  const from = `(SELECT ev.*, s.salt FROM ${EVENTS_TABLE} AS ev LEFT JOIN ${EVENT_SALTS_TABLE} AS s USING (event_id)) AS e`;
  for (let cursor: [string, number] | null = null; ;) {
    const rows: SaltedRow[] = await rowsOf<SaltedRow>(
      runner,
      cursor
        ? `SELECT ${EVENT_COLUMNS}, e.salt FROM ${from}
            WHERE (e.stream_id, e.stream_version) > ($1, $2) ORDER BY e.stream_id, e.stream_version LIMIT ${PAGE_SIZE}`
        : `SELECT ${EVENT_COLUMNS}, e.salt FROM ${from} ORDER BY e.stream_id, e.stream_version LIMIT ${PAGE_SIZE}`,
      cursor ?? [],
    );
    yield rows;
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1];
    cursor = [last.stream_id, last.stream_version];
  }
}

/** Follows each stream's chain in order and keeps the first link of each that does not hold. */
class ChainWalk {
  private readonly brokenLinks: BrokenLink[] = [];
  private eventsChecked = 0;
  private streamsChecked = 0;
  private chain: ChainState | null = null;

  constructor(
    /** Heads not yet matched with their stream's last event. */
    private readonly heads: Map<string, Head>,
    private readonly salted: bigint | null,
  ) {}

  check(row: SaltedRow): void {
    this.eventsChecked += 1;
    if (this.chain?.streamId !== row.stream_id) {
      if (this.chain) this.closeStream(this.chain);
      this.chain = { streamId: row.stream_id, version: 0, hash: GENESIS_HASH, globalPosition: -1n, broken: false };
    }
    const chain = this.chain;
    if (chain.broken) return;
    const problem = firstProblem(chain, row, this.salted);
    if (problem) {
      chain.broken = true;
      this.brokenLinks.push({
        streamId: row.stream_id,
        streamVersion: row.stream_version,
        eventId: row.event_id,
        globalPosition: row.global_position,
        problem,
      });
      return;
    }
    chain.version = row.stream_version;
    chain.hash = row.hash;
    chain.globalPosition = BigInt(row.global_position);
  }

  report(): IntegrityReport {
    if (this.chain) this.closeStream(this.chain);
    // Heads whose stream has no events left at all.
    for (const [streamId, head] of this.heads) {
      if (head.version === 0) continue;
      this.streamsChecked += 1;
      this.brokenLinks.push(headMismatch(streamId, head.version));
    }
    const { brokenLinks, streamsChecked, eventsChecked } = this;
    return { ok: brokenLinks.length === 0, streamsChecked, eventsChecked, brokenLinks };
  }

  /** The stream's head must name its last event: otherwise events were removed from the end. */
  private closeStream(state: ChainState): void {
    this.streamsChecked += 1;
    const head = this.heads.get(state.streamId) ?? { version: 0, lastHash: GENESIS_HASH };
    this.heads.delete(state.streamId);
    if (!state.broken && (head.version !== state.version || head.lastHash !== state.hash)) {
      this.brokenLinks.push(headMismatch(state.streamId, head.version));
    }
  }
}

/**
 * Positions and transaction ids are assigned by the database after the hash is computed, so they cannot be
 * hashed. Positions grow with the version within a stream (its head is locked for each append) and are
 * checked here; a checkpoint pins the exact position and transaction id of every event before it.
 */
function firstProblem(chain: ChainState, row: SaltedRow, saltedFrom: bigint | null): IntegrityProblem | null {
  if (row.stream_version !== chain.version + 1) return 'version-gap';
  if (BigInt(row.global_position) <= chain.globalPosition) return 'position-order';
  if (row.previous_hash !== chain.hash) return 'previous-hash-mismatch';
  const isSalted = saltedFrom !== null && BigInt(row.global_position) >= saltedFrom;
  if (isSalted && row.salt === null) return 'salt-missing';
  if (computeEventHash(chainedFields(toStoredEnvelope(row)), isSalted ? row.salt : null) !== row.hash) return 'hash-mismatch';
  return null;
}

function headMismatch(streamId: string, version: number): BrokenLink {
  return { streamId, streamVersion: version, eventId: null, globalPosition: null, problem: 'head-mismatch' };
}
