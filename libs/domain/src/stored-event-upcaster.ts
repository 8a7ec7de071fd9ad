import { EVENT_CATALOG } from './events/catalog';
import { createUpcaster, upcastChainsOf, Upcaster } from './upcasting';

/**
 * The one upcaster, built from the event catalog: every type the store holds, at its current version.
 * It runs once on each read path (the store's reader, the Kafka consumer, the exports' raw reads);
 * folds and projections receive current versions only.
 */
export const upcastStoredEvent: Upcaster = createUpcaster(upcastChainsOf(EVENT_CATALOG));
