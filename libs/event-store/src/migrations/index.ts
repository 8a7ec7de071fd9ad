import { CreateEventStoreTables1760000000000 } from './1760000000000-create-event-store-tables';
import { MakeEventStoreAppendOnly1760000000001 } from './1760000000001-make-event-store-append-only';
import { KeepChainSaltsApart1760000000002 } from './1760000000002-keep-chain-salts-apart';
import { NameStreamsByTrial1771000000000 } from './1771000000000-name-streams-by-trial';

/** The event store's schema, in order; apps concatenate this with the other libraries' lists. */
export const EVENT_STORE_MIGRATIONS = [
  CreateEventStoreTables1760000000000,
  MakeEventStoreAppendOnly1760000000001,
  KeepChainSaltsApart1760000000002,
  NameStreamsByTrial1771000000000,
];

export {
  CreateEventStoreTables1760000000000,
  MakeEventStoreAppendOnly1760000000001,
  KeepChainSaltsApart1760000000002,
  NameStreamsByTrial1771000000000,
};
