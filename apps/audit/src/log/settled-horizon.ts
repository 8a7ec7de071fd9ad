import type { DataSource } from 'typeorm';

export interface SettledHorizonOptions {
  /** Longest wait for the writers that were busy when the horizon was taken. */
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * The highest global position up to which the log is final, so that a reader paging by position
 * never passes over an event. A position is taken when a transaction inserts, not when it commits:
 * a writer still running may hold a lower position than one already visible. So the horizon is the
 * highest visible position, and it is returned only once every transaction that was running then
 * and writes events has ended (group commits are short; this waits milliseconds).
 */
export async function settledHorizon(dataSource: DataSource, options: SettledHorizonOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 5;
  // One statement, one snapshot: the horizon and the transactions running when it was seen.
  const [taken]: Array<{ horizon: string; running: string[] }> = await dataSource.query(
    `SELECT COALESCE(max(global_position), 0)::text AS horizon,
            ARRAY(SELECT x::text FROM pg_snapshot_xip(pg_current_snapshot()) AS x) AS running
       FROM event_store.events`,
  );
  let running = taken.running;
  const deadline = Date.now() + timeoutMs;
  while (running.length > 0) {
    running = await writersAmong(dataSource, running);
    if (running.length === 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `transaction(s) ${running.join(', ')} kept writing the event log for ${timeoutMs} ms; the log has no settled horizon`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return taken.horizon;
}

/** Those of the given transactions that are still running and have inserted into the log. */
async function writersAmong(dataSource: DataSource, transactionIds: string[]): Promise<string[]> {
  const rows: Array<{ xid: string }> = await dataSource.query(
    `SELECT x::text AS xid FROM unnest($1::xid8[]) AS x
      WHERE pg_xact_status(x) = 'in progress'
        AND EXISTS (
          SELECT FROM pg_locks own JOIN pg_locks rel ON rel.virtualtransaction = own.virtualtransaction
           WHERE own.locktype = 'transactionid' AND own.transactionid = x::xid
             AND rel.locktype = 'relation' AND rel.relation = 'event_store.events'::regclass)`,
    [transactionIds],
  );
  return rows.map((row) => row.xid);
}
