import type { EventEnvelope } from '@trialstream/domain';
import { EVENT_SALTS_TABLE, EVENT_STORE_SCHEMA } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';
// The one definition of how a stored row becomes an envelope; the hash chain is computed over exactly that form.
import { EVENT_COLUMNS, toStoredEnvelope, type EventRow } from '@trialstream/event-store';
import { settledHorizon } from './settled-horizon';

export interface LogPage {
  /** Events after `afterPosition` in global order, exactly as stored (no upcasting: their hashes hold). */
  events: EventEnvelope[];
  /** Pass as `afterPosition` for the next page; null when the settled log has nothing more right now. */
  nextAfterPosition: string | null;
  /** The position up to which the log was final when the page was read. */
  horizon: string;
  /** Chain salt by event id (events of the salted chain format): what an auditor needs to recompute the hashes. */
  salts: Record<string, string>;
}

export interface LogRange {
  /** Exclusive lower bound (global position); 0 by default. */
  afterPosition?: string;
  /** Inclusive upper bound (global position); the settled horizon by default. */
  untilPosition?: string;
}

const DEFAULT_CHUNK = 1000;

/** The raw log in global order, for auditors: paged, streamed, or whole (for exports). */
export class EventLog {
  constructor(private readonly dataSource: DataSource) {}

  async page(afterPosition: string, limit: number): Promise<LogPage> {
    const horizon = await settledHorizon(this.dataSource);
    const rows = await this.rowsBetween(afterPosition, horizon, limit + 1);
    const events = rows.slice(0, limit).map(toStoredEnvelope);
    const salts = await this.saltsOf(events.map((event) => event.eventId));
    return { events, nextAfterPosition: rows.length > limit ? events[events.length - 1].globalPosition : null, horizon, salts };
  }

  private async saltsOf(eventIds: string[]): Promise<Record<string, string>> {
    const rows: Array<{ event_id: string; salt: string }> = await this.dataSource.query(
      `SELECT event_id::text AS event_id, salt FROM ${EVENT_SALTS_TABLE} WHERE event_id = ANY($1::uuid[])`,
      [eventIds],
    );
    return Object.fromEntries(rows.map((row) => [row.event_id, row.salt]));
  }

  /** Every event of the range, read chunk by chunk so that a log of any size streams in bounded memory. */
  async *events(range: LogRange = {}, chunk = DEFAULT_CHUNK): AsyncGenerator<EventEnvelope> {
    const horizon = await settledHorizon(this.dataSource);
    const until = range.untilPosition !== undefined && BigInt(range.untilPosition) < BigInt(horizon) ? range.untilPosition : horizon;
    yield* this.between(range.afterPosition ?? '0', until, chunk);
  }

  /** The whole settled log in global order, and the position it ends at. */
  async all(): Promise<{ events: EventEnvelope[]; horizon: string }> {
    const horizon = await settledHorizon(this.dataSource);
    const events: EventEnvelope[] = [];
    for await (const event of this.between('0', horizon, DEFAULT_CHUNK)) events.push(event);
    return { events, horizon };
  }

  private async *between(afterPosition: string, untilPosition: string, chunk: number): AsyncGenerator<EventEnvelope> {
    for (let after = afterPosition; ;) {
      const rows = await this.rowsBetween(after, untilPosition, chunk);
      for (const row of rows) yield toStoredEnvelope(row);
      if (rows.length < chunk) return;
      after = rows[rows.length - 1].global_position;
    }
  }

  private rowsBetween(afterPosition: string, untilPosition: string, limit: number): Promise<EventRow[]> {
    return this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM ${EVENT_STORE_SCHEMA}.events AS e
        WHERE e.global_position > $1::bigint AND e.global_position <= $2::bigint
        ORDER BY e.global_position
        LIMIT $3`,
      [afterPosition, untilPosition, limit],
    );
  }
}
