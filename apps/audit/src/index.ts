export { AuditModule } from './audit.module';
export { AUDITED_PROJECTIONS } from './audit.tokens';
export { EventLog, type LogPage, type LogRange } from './log/event-log';
export { settledHorizon } from './log/settled-horizon';
export { patientAuditHistory, type PatientAuditHistory, type HistoryEntry, type HistoryAmendment } from './patients/patient-audit-history';
export { patientRecordAsOf, type PatientRecordAsOf, type EntryAsOf } from './patients/patient-record-as-of';
export { describeVerification, verifyPlatform, type PlatformVerification, type ReadModelCheck } from './verification/verify-platform';
export { parseUntil, pointInTimeOf, readBoundOf, describePointInTime, type PointInTime } from './point-in-time/point-in-time';
export {
  countEventsWithin,
  replayProjection,
  withProjectionAsOf,
  pointInTimeSchemaName,
  type ReplayUntilOptions,
  type ReplayUntilTotals,
} from './point-in-time/replay-projection';
export { readModelRows, type TableRows } from './point-in-time/read-model-rows';
