import { CreateRelayCheckpoints1767312000000 } from './1767312000000-create-relay-checkpoints';

/** The relay's schema; apps run it after EVENT_STORE_MIGRATIONS. */
export const RELAY_MIGRATIONS = [CreateRelayCheckpoints1767312000000];

export { CreateRelayCheckpoints1767312000000 };
