import { CreateEventStoreTables1760000000000 } from './1760000000000-create-event-store-tables';
import { MakeEventStoreAppendOnly1760000000001 } from './1760000000001-make-event-store-append-only';

/** The event store's schema, in order; apps concatenate this with the other libraries' lists. */
export const EVENT_STORE_MIGRATIONS = [CreateEventStoreTables1760000000000, MakeEventStoreAppendOnly1760000000001];

export { CreateEventStoreTables1760000000000, MakeEventStoreAppendOnly1760000000001 };
