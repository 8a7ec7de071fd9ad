export * from './contracts';
export { EVENT_STORE_MIGRATIONS, NameStreamsByTrial1771000000000 } from './migrations';
export { PostgresEventStore, appendInTransaction, type EventStoreOptions } from './postgres-event-store';
export type { GroupCommitOptions, GroupCommitStats } from './group-commit';
export type { BrokenLink, IntegrityProblem, IntegrityReport } from './integrity';
export { GENESIS_HASH, CURRENT_CHAIN_FORMAT, computeEventHash, canonicalize, newEventSalt, type ChainedEventFields } from './hash-chain';
export { chainedFields, EVENT_COLUMNS, toStoredEnvelope, type EventRow, type StoredEventJson } from './row-mapping';
export { ConcurrentWriteError } from './retryable-errors';
export {
  APPLICATION_ROLE,
  CHAIN_SECRETS_SCHEMA,
  ENSURE_APPLICATION_ROLE_SQL,
  EVENT_SALTS_TABLE,
  EVENT_STORE_SCHEMA,
  EVENTS_TABLE,
  VERIFIER_ROLE,
} from './schema';
export * from './nest/event-store.module';
export { RereadSchedule } from './reread-schedule';
export { appendAtStreamHead } from './append-at-head';
export { deploymentTrialStreams } from './deployment-trial';
export * from './checkpoint';
export { CHECKPOINT_ACTOR, recordCheckpoint, recordedCheckpoints } from './checkpoint-recorder';
export * from './nest/event-envelope.view';
