import type { AppendRequest } from './contracts';
import type { PostgresEventStore } from './postgres-event-store';

/**
 * Appends to a stream that nobody decides against (a reader's access records, an account's audit
 * events): whatever its version, the events go at its head. Racing appends to the same stream are
 * retried on the new version; false when it kept changing.
 */
export async function appendAtStreamHead(
  store: PostgresEventStore,
  request: Omit<AppendRequest, 'expectedVersion'>,
  attempts = 20,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const outcome = await store.append({ ...request, expectedVersion: await store.streamVersion(request.streamId) });
    if (outcome.status === 'appended') return true;
  }
  return false;
}
