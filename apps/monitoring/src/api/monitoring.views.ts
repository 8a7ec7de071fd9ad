import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { anyJsonValue, countsBy } from '@trialstream/api-common';
import { FORM_CODES, QUERY_STATUSES, type QueryStatus } from '@trialstream/domain';
import { PATIENT_STATUSES_ON_DATE } from '../indicators/patient-monitoring';
import { MONITORING_DEVIATION_CODES } from '../indicators/site-indicators';

const VISIT_STATUSES = ['upcoming', 'due', 'overdue', 'done'];
const QUERY_ACTIONS = ['raise', 'answer', 'close', 'cancel', 'reopen'];

export class PatientCountsView {
  @ApiProperty({ description: 'Consented by the date: enrolled plus screen failures' }) screened: number;
  @ApiProperty() enrolled: number;
  @ApiProperty() screenFailures: number;
  @ApiProperty() randomized: number;
  @ApiProperty({ description: 'Randomized and not withdrawn' }) active: number;
  @ApiProperty() withdrawn: number;
}

export class VisitCountsView {
  @ApiProperty({ description: 'Visits whose window had opened by the date, or that were already complete' }) expected: number;
  @ApiProperty() done: number;
  @ApiProperty({ description: 'Window open, forms still outstanding' }) due: number;
  @ApiProperty({ description: 'Window closed, forms missing' }) overdue: number;
  @ApiProperty({ description: 'Forms missing from overdue visits' }) missingForms: number;
}

export class LatencySummaryView {
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Days from clinical time to entry' }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90: number | null;
  @ApiProperty({ description: 'Entries later than 5 days' }) over5Days: number;
}

export class DeviationCountsView {
  @ApiProperty() total: number;
  @ApiProperty(countsBy(MONITORING_DEVIATION_CODES)) byCode: Record<string, number>;
}

export class AdverseEventCountsView {
  @ApiProperty() total: number;
  @ApiProperty() serious: number;
}

export class QueryCountView {
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age in days of the oldest such query at the date' })
  oldestAgeDays: number | null;
}

export class QueryCountsView implements Record<QueryStatus, QueryCountView> {
  @ApiProperty({ type: QueryCountView }) open: QueryCountView;
  @ApiProperty({ type: QueryCountView }) answered: QueryCountView;
  @ApiProperty({ type: QueryCountView }) closed: QueryCountView;
  @ApiProperty({ type: QueryCountView }) cancelled: QueryCountView;
}

export class SourceDataVerificationView {
  @ApiProperty() verified: number;
  @ApiProperty() eligible: number;
  @ApiProperty({ type: Number, nullable: true, description: 'verified / eligible; null when nothing is eligible' }) share: number | null;
}

export class CodeBreakCountsView {
  @ApiProperty() events: number;
  @ApiProperty() patients: number;
}

/** A site's figures at the end of `asOf` (`SiteIndicators`). */
export class SiteIndicatorsView {
  @ApiProperty({ example: 'S01' }) siteId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ example: '2026-04-20' }) asOf: string;
  @ApiProperty({ type: PatientCountsView }) patients: PatientCountsView;
  @ApiProperty({ type: VisitCountsView }) visits: VisitCountsView;
  @ApiProperty({ type: LatencySummaryView }) dataEntryLatency: LatencySummaryView;
  @ApiProperty({ type: DeviationCountsView }) deviations: DeviationCountsView;
  @ApiProperty({ type: AdverseEventCountsView }) adverseEvents: AdverseEventCountsView;
  @ApiProperty({ type: QueryCountsView }) queries: QueryCountsView;
  @ApiProperty({ type: SourceDataVerificationView }) sourceDataVerification: SourceDataVerificationView;
  @ApiProperty({ type: CodeBreakCountsView }) codeBreaks: CodeBreakCountsView;
}

export class SiteOverviewView {
  @ApiProperty({ example: '2026-04-20' }) asOf: string;
  @ApiProperty({ type: [SiteIndicatorsView] }) items: SiteIndicatorsView[];
}

export class ScheduledVisitView {
  @ApiProperty({ example: 'month-2' }) visitId: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['assessment', 'infusion'] }) kind: 'assessment' | 'infusion';
  @ApiProperty({ enum: VISIT_STATUSES }) status: string;
  @ApiProperty({ enum: FORM_CODES, isArray: true, description: 'Expected forms not recorded by the date' }) missingForms: string[];
}

export class VisitView extends ScheduledVisitView {
  @ApiProperty({ example: '2026-05-01' }) targetDate: string;
  @ApiProperty() windowStart: string;
  @ApiProperty() windowEnd: string;
}

/** A patient in a site's list (`PatientListItem`). */
export class PatientListItemView {
  @ApiProperty({ example: 'S01-0001' }) patientId: string;
  @ApiProperty({ enum: PATIENT_STATUSES_ON_DATE }) status: string;
  @ApiProperty() consentDate: string;
  @ApiProperty({ type: String, nullable: true }) randomizationDate: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawalDate: string | null;
  @ApiProperty({ type: VisitView, nullable: true }) nextVisit: VisitView | null;
  @ApiProperty({ type: [VisitView] }) overdueVisits: VisitView[];
  @ApiProperty({ type: [ScheduledVisitView], description: 'Every visit of the schedule as of the date (the subject matrix)' })
  schedule: ScheduledVisitView[];
  @ApiProperty({ type: VisitCountsView }) visits: VisitCountsView;
  @ApiProperty() deviations: number;
  @ApiProperty({ type: AdverseEventCountsView }) adverseEvents: AdverseEventCountsView;
  @ApiProperty(countsBy(QUERY_STATUSES)) queries: Record<QueryStatus, number>;
  @ApiProperty({ type: SourceDataVerificationView }) sourceDataVerification: SourceDataVerificationView;
  @ApiProperty() codeBreaks: number;
}

class PageView {
  @ApiProperty({ example: '2026-04-20' }) asOf: string;
  @ApiProperty({ description: 'Rows matching the filters, over all pages' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class PatientListPage extends PageView {
  @ApiProperty({ type: [PatientListItemView] }) items: PatientListItemView[];
}

/** A protocol deviation with the events behind it (`DeviationView`). */
export class MonitoringDeviationView {
  @ApiProperty({ example: 'S01-0001' }) patientId: string;
  @ApiProperty({ enum: MONITORING_DEVIATION_CODES }) code: string;
  @ApiProperty({ type: [String], description: 'The flagged event, or the forms of a visit recorded outside its window' })
  eventIds: string[];
  @ApiProperty({ description: 'Calendar date of the (earliest) event' }) occurredOn: string;
  @ApiProperty() detail: string;
  @ApiPropertyOptional({ description: 'Visit deviations only' }) visitId?: string;
}

export class DeviationPage extends PageView {
  @ApiProperty({ type: [MonitoringDeviationView] }) items: MonitoringDeviationView[];
}

export class QueryAnswerView {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional({ format: 'uuid' }) correctionEventId?: string;
}

export class QueryStepView {
  @ApiProperty({ enum: QUERY_ACTIONS }) action: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: QUERY_STATUSES }) status: QueryStatus;
  @ApiPropertyOptional({ description: 'The question, the answer or the cancellation reason' }) text?: string;
  @ApiPropertyOptional({ format: 'uuid' }) correctionEventId?: string;
}

/** A query at the reporting date (`QueryView`). */
export class MonitoringQueryView {
  @ApiProperty({ format: 'uuid' }) queryId: string;
  @ApiProperty() patientId: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ format: 'uuid' }) targetEventId: string;
  @ApiProperty({ type: String, nullable: true, example: 'InfusionGiven' }) targetType: string | null;
  @ApiProperty({ example: 'administeredDoseMg' }) field: string;
  @ApiProperty({ enum: QUERY_STATUSES, description: 'At the end of the date' }) status: QueryStatus;
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) raisedAt: string;
  @ApiProperty() ageDays: number;
  @ApiProperty() reopenedCount: number;
  @ApiProperty({ type: QueryAnswerView, nullable: true }) answer: QueryAnswerView | null;
  @ApiPropertyOptional(anyJsonValue('The questioned field in the record as it stands now (after a correction, the corrected value)'))
  currentValue?: unknown;
  @ApiProperty({ type: [QueryStepView] }) history: QueryStepView[];
}

export class QueryPage extends PageView {
  @ApiProperty({ type: [MonitoringQueryView] }) items: MonitoringQueryView[];
}

export class InvalidatedByView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() type: string;
}

/** The casebook or one visit of a patient, and its signature state (`ScopeSignatureStatus`). */
export class ScopeSignatureView {
  @ApiProperty() patientId: string;
  @ApiProperty({ example: 'casebook', description: "`casebook`, or the visit's name in the protocol's schedule" }) scope: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['signed', 'unsigned', 'invalidated'] }) status: string;
  @ApiPropertyOptional({ format: 'uuid' }) signatureId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) signedAt?: string;
  @ApiPropertyOptional() signedBy?: string;
  @ApiPropertyOptional({ type: InvalidatedByView }) invalidatedBy?: InvalidatedByView;
}

export class SignatureStatusList {
  @ApiProperty({ example: '2026-04-20' }) asOf: string;
  @ApiProperty({ type: [ScopeSignatureView] }) items: ScopeSignatureView[];
}
