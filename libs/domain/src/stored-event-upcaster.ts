import { ACCOUNT_UPCAST_CHAINS } from './accounts/events';
import { MONITORING_UPCAST_CHAINS } from './monitoring';
import { SIGNATURE_UPCAST_CHAINS } from './signatures/events';
import { TRIAL_UPCAST_CHAINS } from './trial';
import { createUpcaster, DOMAIN_UPCAST_CHAINS, Upcaster } from './upcasting';

/**
 * The one upcaster for everything the store holds: clinical, monitoring and trial-lifecycle events.
 * Readers (the store, Kafka consumers, exports) use this, so each sees every type at its current version.
 */
export const upcastStoredEvent: Upcaster = createUpcaster({
  ...DOMAIN_UPCAST_CHAINS,
  ...MONITORING_UPCAST_CHAINS,
  ...TRIAL_UPCAST_CHAINS,
  ...SIGNATURE_UPCAST_CHAINS,
  ...ACCOUNT_UPCAST_CHAINS,
});
