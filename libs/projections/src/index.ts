export {
  defineProjection,
  tableOf,
  type Projection,
  type ProjectionDefinition,
  type ProjectionHandler,
  type ProjectionHandlers,
  type RowAccess,
  type CarriedStreams,
  type RowRef,
  type PartitionRef,
} from './projection';
export {
  COLUMN_TYPES,
  RowShapeError,
  type ColumnOptions,
  type ColumnSpec,
  type ColumnType,
  type KeyInput,
  type Row,
  type TableSpec,
} from './table-spec';
export { BOOKKEEPING_TABLES, CHECKPOINT_TABLE, DEAD_LETTERS_TABLE, STREAMS_TABLE, projectionSchemaDdl } from './ddl';
export { entryOf } from './map-entry';
export { projectionMigration } from './migration';
export { builtVersion, createProjectionSchema, dropProjectionSchema, schemaExists } from './schema-admin';
export { ProjectionRunner, type BatchResult, type ProjectionRunnerOptions, type StreamSource } from './runner';
export { CATCH_UP_PAGE_SIZE, CATCH_UP_PAGES_PER_BATCH, type CatchUpSource } from './read-ahead';
export { StoreFeed, type CatchUpResult, type StoreFeedOptions } from './store-feed';
export { KafkaFeed, projectionConsumerGroup, type KafkaFeedOptions, type StartEventConsumer } from './kafka-feed';
export { rebuildProjection, type RebuildReport } from './rebuild';
export {
  verifyProjection,
  type RowDifference,
  type RowDifferenceKind,
  type TableComparison,
  type VerifyOptions,
  type VerifyReport,
} from './verify';
export { countStoreEvents, type ReplayOptions, type ReplayProgress } from './replay';
export { readDeadLetters, type DeadLetter } from './bookkeeping';
export { HandlerError, MissingStreamVersionsError } from './errors';
export { consoleLogger, type ProjectionLogger } from './logger';
export * from './registry';
export { startProjection, type RunningProjection, type StartProjectionOptions } from './start-projection';
export { ProjectionFeeds, PROJECTIONS_OPTIONS, type ProjectionsModuleOptions } from './nest/projections.module';
export { freshnessAt, waitForPosition, type Freshness } from './freshness';
export { FRESH_READS_OPTIONS, FreshReadsModule, MIN_POSITION_HEADER, ReadsProjection, type FreshReadsOptions } from './nest/fresh-reads';
