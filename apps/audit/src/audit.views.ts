import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { anyJsonValue } from '@trialstream/api-common';
import { ActorView, AmendsView, EventEnvelopeView } from '@trialstream/event-store';

export const AUDITORS_ONLY = { 403: 'Only auditors read the audit log' } as const;

/** A page of the log (`LogPage`), events exactly as stored. */
export class LogPageView {
  @ApiProperty({ type: [EventEnvelopeView], description: 'In global order, exactly as stored (not upcast: their hashes hold)' })
  events: EventEnvelopeView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `afterPosition` for the next page; null: nothing more yet' })
  nextAfterPosition: string | null;
  @ApiProperty({ description: 'The position up to which the log was final when the page was read' }) horizon: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Chain salt by event id: what an auditor needs to recompute the hashes',
  })
  salts: Record<string, string>;
}

class AttributionView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() type: string;
  @ApiProperty() streamVersion: number;
  @ApiProperty() globalPosition: string;
  @ApiProperty({ type: ActorView }) who: ActorView;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ description: 'Clinical time, as the site reported it' }) occurredAt: string;
  @ApiProperty({ format: 'date-time', description: 'Server time of the commit' }) recordedAt: string;
}

export class HistoryAmendmentView extends AttributionView {
  @ApiProperty({ enum: ['correction', 'void'] }) kind: string;
  @ApiProperty() reason: string;
  @ApiProperty(anyJsonValue('The full corrected payload; null for a void')) data: unknown;
}

export class EntryNowView {
  @ApiProperty() occurredAt: string;
  @ApiProperty(anyJsonValue('The payload of the entry')) data: unknown;
}

export class HistoryEntryView extends AttributionView {
  @ApiProperty() schemaVersion: number;
  @ApiProperty(anyJsonValue('The payload as first recorded')) data: unknown;
  @ApiProperty({ type: AmendsView, nullable: true }) amends: AmendsView | null;
  @ApiProperty({ type: [HistoryAmendmentView] }) amendments: HistoryAmendmentView[];
  @ApiProperty({ enum: ['as-recorded', 'corrected', 'voided'] }) status: string;
  @ApiProperty({ type: EntryNowView, nullable: true, description: 'What the entry holds after its amendments; null once voided' })
  current: EntryNowView | null;
}

/** Every entry of a patient with who, site, role, clinical and recorded time (`PatientAuditHistory`). */
export class PatientAuditHistoryView {
  @ApiProperty() patientId: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty() streamVersion: number;
  @ApiProperty({ type: [HistoryEntryView] }) entries: HistoryEntryView[];
}

export class PointInTimeView {
  @ApiProperty({ enum: ['position', 'recorded-at'] }) kind: string;
  @ApiPropertyOptional({ description: 'kind `position`' }) position?: string;
  @ApiPropertyOptional({ description: 'kind `recorded-at`' }) at?: string;
}

export class EntryAsOfView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() type: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty(anyJsonValue('The payload of the entry')) data: unknown;
  @ApiProperty() voided: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The latest correction made by then' }) correctedBy: string | null;
}

export class InfusionAsOfView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() cycle: number;
  @ApiProperty() infusionInCycle: number;
  @ApiProperty() doseLevelMgPerM2: number;
  @ApiProperty() voided: boolean;
}

/** The patient's record as it stood at a moment (`PatientRecordAsOf`): the domain's fold of the events recorded by then. */
/** The protocol version a point-in-time view was read by: of the versions logged by the moment, the one in force on its day. */
export class ProtocolThenView {
  @ApiProperty() version: number;
  @ApiProperty() protocolId: string;
  @ApiProperty({ example: '2026-06-01' }) effectiveFrom: string;
  @ApiProperty({ example: '2026-07-25', description: 'The day of the moment (UTC)' }) on: string;
}

export class PatientRecordAsOfView {
  @ApiProperty({ type: PointInTimeView }) asOf: PointInTimeView;
  @ApiProperty({ type: ProtocolThenView, nullable: true, description: 'None before any version was logged' })
  protocol: ProtocolThenView | null;
  @ApiProperty() patientId: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ enum: ['not_enrolled', 'enrolled', 'screen_failed', 'randomized', 'withdrawn'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) consentDate: string | null;
  @ApiProperty({ type: String, nullable: true }) enrolledAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) heightCm: number | null;
  @ApiProperty({ type: Number, nullable: true }) weightKg: number | null;
  @ApiProperty({ type: String, nullable: true }) randomizedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) kitNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ type: [InfusionAsOfView] }) infusions: InfusionAsOfView[];
  @ApiProperty({ type: [EntryAsOfView] }) entries: EntryAsOfView[];
  @ApiProperty({ description: 'How much of the stream the moment covers' }) streamVersion: number;
  @ApiProperty({ type: String, nullable: true }) lastGlobalPosition: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRecordedAt: string | null;
}

export class TableRowsView {
  @ApiProperty() table: string;
  @ApiProperty({ description: 'Rows in the table' }) total: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "The requested slice, ordered by primary key; values as PostgreSQL's JSON renders them",
  })
  rows: Array<Record<string, unknown>>;
}

/** A read model rebuilt by replay up to a moment (`ProjectionAsOf`). */
export class ProjectionAsOfView {
  @ApiProperty({ example: 'monitoring' }) projection: string;
  @ApiProperty({ type: PointInTimeView }) asOf: PointInTimeView;
  @ApiProperty({ type: ProtocolThenView, nullable: true, description: 'None before any version was logged' })
  protocol: ProtocolThenView | null;
  @ApiProperty({ description: 'Events within the bound that the replay read' }) events: number;
  @ApiProperty({ description: 'Of those, events the read model could not apply' }) deadLettered: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [TableRowsView] }) tables: TableRowsView[];
}

export class CheckpointView {
  @ApiProperty() format: string;
  @ApiProperty({ format: 'date-time' }) takenAt: string;
  @ApiProperty() position: string;
  @ApiProperty() snapshotXmin: string;
  @ApiProperty() eventCount: number;
  @ApiProperty() streamCount: number;
  @ApiProperty({ description: 'Root over all stream heads' }) root: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class CheckpointList {
  @ApiProperty({ type: [CheckpointView], description: 'Oldest first' }) checkpoints: CheckpointView[];
}

export class BrokenLinkView {
  @ApiProperty() streamId: string;
  @ApiProperty({ description: 'The version at which the chain first breaks' }) streamVersion: number;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty({ type: String, nullable: true }) globalPosition: string | null;
  @ApiProperty({
    enum: ['hash-mismatch', 'previous-hash-mismatch', 'version-gap', 'position-order', 'salt-missing', 'head-mismatch'],
  })
  problem: string;
}

export class IntegrityReportView {
  @ApiProperty() ok: boolean;
  @ApiProperty() streamsChecked: number;
  @ApiProperty() eventsChecked: number;
  @ApiProperty({ type: [BrokenLinkView], description: 'At most one per stream: the first link that does not hold' })
  brokenLinks: BrokenLinkView[];
}

export class ReadModelCheckView {
  @ApiProperty() projection: string;
  @ApiProperty() schema: string;
  @ApiProperty({ description: 'Every row equals a rebuild from the same events' }) identical: boolean;
  @ApiProperty() events: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Per table: live and rebuilt row counts and the rows that differ (their keys)',
  })
  tables: Array<Record<string, unknown>>;
  @ApiProperty() deadLetters: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the read model could not be compared at all' })
  error: string | null;
}

export class VerificationResultView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: IntegrityReportView }) log: IntegrityReportView;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Against a checkpoint, when one was given' })
  anchor?: Record<string, unknown>;
  @ApiProperty({ type: [ReadModelCheckView] }) readModels: ReadModelCheckView[];
  @ApiProperty({ type: [String] }) summary: string[];
}

export class VerificationProgressView {
  @ApiProperty() readModelsChecked: number;
  @ApiProperty() readModels: number;
}

/** A verification job (`VerificationJob`): the log's chains, then every read model against a rebuild. */
export class VerificationJobView {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ enum: ['running', 'passed', 'failed', 'error'] }) state: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: VerificationProgressView }) progress: VerificationProgressView;
  @ApiProperty({ type: VerificationResultView, nullable: true }) result: VerificationResultView | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the verification could not run to its end' }) error: string | null;
}
