import type { PostgresEventStore, StoredEventJson } from '@trialstream/event-store';
import type { KafkaEventPublisher } from '@trialstream/messaging';
import type { EventLog, EventSink } from './relay';

/**
 * The relay's log and sink as the platform wires them: each event goes from the store to the topic as the JSON text
 * PostgreSQL writes of its envelope, exactly as stored (no upcaster: the topic carries events as their hashes certify
 * them), never parsed and serialised again on the way unless the publisher's sealer must see it.
 */
export function relayEnds(
  store: PostgresEventStore,
  publisher: KafkaEventPublisher,
): { log: EventLog<StoredEventJson>; sink: EventSink<StoredEventJson> } {
  return {
    log: { readAll: (after, limit) => store.readAllJson(after, limit) },
    sink: { publish: (events) => publisher.publishJson(events) },
  };
}
