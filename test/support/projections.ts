import type { DataSource } from 'typeorm';

/**
 * Waits until the read model in `schema` has applied every committed event of every stream, whichever
 * way it is fed (store or Kafka): no stream of the store is ahead of the projection's applied versions.
 */
export async function whenProjectionCaughtUp(dataSource: DataSource, schema: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ behind }] = await dataSource.query(
      `SELECT count(*)::int AS behind
         FROM event_store.streams s
         LEFT JOIN "${schema}"._streams p USING (stream_id)
        WHERE s.version > coalesce(p.version, 0)`,
    );
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`projection schema ${schema} is still ${behind} stream(s) behind after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
