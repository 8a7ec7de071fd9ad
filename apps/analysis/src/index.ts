export * from './analysis.module';
export * from './analysis.schema';
export { ANALYSIS_PROJECTION, ANALYSIS_SCHEMA, ANALYSIS_TABLES } from './projection/analysis.projection';
export { TrialStatusReader } from './read/trial-status';
