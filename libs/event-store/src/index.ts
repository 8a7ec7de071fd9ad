export * from './contracts';
export { EVENT_STORE_MIGRATIONS } from './migrations';
export { PostgresEventStore, appendInTransaction, type EventStoreOptions } from './postgres-event-store';
export type { GroupCommitOptions, GroupCommitStats } from './group-commit';
export type { BrokenLink, IntegrityProblem, IntegrityReport } from './integrity';
export { GENESIS_HASH, computeEventHash, canonicalize, type ChainedEventFields } from './hash-chain';
export { chainedFields } from './row-mapping';
export { ConcurrentWriteError } from './retryable-errors';
export { APPLICATION_ROLE, EVENT_STORE_SCHEMA } from './schema';
