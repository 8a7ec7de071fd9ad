import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { countsBy } from '@trialstream/api-common';
import { ENDPOINT_MEASURES, FORM_CODES, LAB_QUALIFIERS } from '@trialstream/domain';

const SIGNAL_KINDS = ['igmRise', 'antiMagRise', 'clinicalWorsening'];
const GRADES = ['1', '2', '3', '4', '5'];
const NUMBER_MAP = { type: 'object' as const, additionalProperties: { type: 'number' as const } };

export class AnalysisTrialView {
  @ApiProperty({ enum: ['open', 'frozen', 'locked', 'unblinded'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lockedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) unblindedAt: string | null;
}

/** An answer that can be asked for as of a past day. */
class AsOfDayView {
  @ApiPropertyOptional({
    example: '2026-06-01',
    description: 'The day asked for (`?asOf=`): data dated up to it, protocol version in force on it',
  })
  asOf?: string;
}

/** The trial's status and the visit the figures are read at, for a day. */
class AtVisitView extends AsOfDayView {
  @ApiProperty({ type: AnalysisTrialView }) trial: AnalysisTrialView;
  @ApiProperty({ example: 'latest' }) visit: string;
}

/** Median, range, mean and SD across patients (`Summary`); statistics are absent when there is nothing to summarise. */
export class SummaryView {
  @ApiProperty({ description: 'Values summarised' }) n: number;
  @ApiProperty({ description: 'Entries without a number (censored or missing): counted, never guessed' }) nMissing: number;
  @ApiPropertyOptional() median?: number;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional() mean?: number;
  @ApiPropertyOptional({ description: 'Sample standard deviation (n − 1); needs two values' }) sd?: number;
}

export class ValueAtView {
  @ApiProperty({ example: '2026-05-01' }) date: string;
  @ApiProperty({ example: 'month-2' }) visit: string;
  @ApiProperty() value: number;
  @ApiProperty({ enum: LAB_QUALIFIERS }) qualifier: string;
}

export class LabEndpointView {
  @ApiPropertyOptional({ type: ValueAtView }) baseline?: ValueAtView;
  @ApiPropertyOptional({ type: ValueAtView }) nadir?: ValueAtView;
  @ApiPropertyOptional({ type: ValueAtView }) latest?: ValueAtView;
  @ApiPropertyOptional() nadirPercentChange?: number;
  @ApiPropertyOptional() nadirPercentOfBaseline?: number;
  @ApiPropertyOptional() latestPercentChange?: number;
  @ApiPropertyOptional() latestPercentOfBaseline?: number;
  @ApiProperty({ description: 'A change was due but the value or the baseline is censored' }) censored: boolean;
}

export class UlnarVelocitiesView {
  @ApiPropertyOptional({ description: 'm/s' }) left?: number;
  @ApiPropertyOptional({ description: 'm/s' }) right?: number;
}

export class UlnarEndpointView {
  @ApiProperty() evaluable: boolean;
  @ApiProperty() responder: boolean;
  @ApiProperty() worsener: boolean;
  @ApiProperty({ type: UlnarVelocitiesView }) baseline: UlnarVelocitiesView;
  @ApiProperty({ type: UlnarVelocitiesView }) followUp: UlnarVelocitiesView;
}

export class IncatScoresView {
  @ApiPropertyOptional() total?: number;
  @ApiPropertyOptional() legs?: number;
}

export class IncatEndpointView {
  @ApiProperty() evaluable: boolean;
  @ApiProperty() responder: boolean;
  @ApiProperty() legResponder: boolean;
  @ApiProperty({ type: IncatScoresView }) baseline: IncatScoresView;
  @ApiProperty({ type: IncatScoresView }) followUp: IncatScoresView;
  @ApiPropertyOptional() change?: number;
  @ApiPropertyOptional() sensorySumChange?: number;
}

export class GlobalStatusAtView {
  @ApiProperty() date: string;
  @ApiProperty() visit: string;
  @ApiProperty({ enum: ['improved', 'stable', 'worsened'] }) status: string;
}

export class SignalView {
  @ApiProperty({ enum: SIGNAL_KINDS }) kind: string;
  @ApiProperty() date: string;
  @ApiProperty() visit: string;
  @ApiProperty() daysAfterFirst: number;
  @ApiPropertyOptional({ type: [String] }) reasons?: string[];
  @ApiPropertyOptional({ description: 'For a rise: the value that rose' }) value?: number;
  @ApiPropertyOptional({ description: 'For a rise: the nadir it rose from' }) nadir?: number;
  @ApiPropertyOptional({ description: 'For a rise: by how much (0.5 = +50 %)' }) riseFraction?: number;
}

export class RetreatmentView {
  @ApiProperty({ type: [SignalView] }) signals: SignalView[];
  @ApiProperty({ enum: SIGNAL_KINDS, isArray: true }) first: string[];
  @ApiPropertyOptional() firstDate?: string;
}

/** One patient's endpoints (`PatientEndpoints`); `arm` only for unblinded readers after unblinding. */
export class PatientEndpointsView {
  @ApiProperty({ example: 'S01-0001' }) subjectId: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty() status: string;
  @ApiPropertyOptional() firstInfusionDate?: string;
  @ApiProperty() cycles: number;
  @ApiProperty({ type: [Number] }) doseLevels: number[];
  @ApiProperty() codeBroken: boolean;
  @ApiProperty({ type: LabEndpointView }) igm: LabEndpointView;
  @ApiProperty({ type: LabEndpointView }) antiMag: LabEndpointView;
  @ApiPropertyOptional({ description: 'Only for readers allowed to see masked analytes' }) bCellDepleted?: boolean;
  @ApiProperty({ type: UlnarEndpointView }) ulnar: UlnarEndpointView;
  @ApiProperty({ type: IncatEndpointView }) incat: IncatEndpointView;
  @ApiPropertyOptional({ type: GlobalStatusAtView }) globalStatus?: GlobalStatusAtView;
  @ApiProperty({ type: RetreatmentView }) retreatment: RetreatmentView;
  @ApiPropertyOptional({ description: 'Only for unblinded readers after unblinding (`unallocated`: a kit not on the list)' })
  arm?: string;
}

export class AnalysisPatients extends AtVisitView {
  @ApiProperty({ type: [PatientEndpointsView] }) patients: PatientEndpointsView[];
}

export class LabSummaryView {
  @ApiProperty({ description: 'Patients with a baseline and a follow-up value' }) evaluable: number;
  @ApiProperty() censored: number;
  @ApiProperty({ type: SummaryView }) nadirPercentChange: SummaryView;
  @ApiProperty({ type: SummaryView }) nadirPercentOfBaseline: SummaryView;
  @ApiProperty({ type: SummaryView }) latestPercentChange: SummaryView;
  @ApiProperty({ type: SummaryView }) latestPercentOfBaseline: SummaryView;
}

export class DepletionCountView {
  @ApiProperty() evaluable: number;
  @ApiProperty() depleted: number;
}

export class ClinicalStatusAtVisitView {
  @ApiProperty() visit: string;
  @ApiProperty() improved: number;
  @ApiProperty() stable: number;
  @ApiProperty() worsened: number;
  @ApiProperty({ description: 'Patients expected at the visit without a global status' }) notAssessed: number;
}

export class UlnarCountsView {
  @ApiProperty() evaluable: number;
  @ApiProperty() responders: number;
  @ApiProperty() worseners: number;
}

export class IncatSummaryView {
  @ApiProperty() evaluable: number;
  @ApiProperty() responders: number;
  @ApiProperty() legResponders: number;
  @ApiProperty({ type: SummaryView }) change: SummaryView;
  @ApiProperty({ type: SummaryView }) sensorySumChange: SummaryView;
}

export class GroupView {
  @ApiProperty({ description: 'Cycle number or dose level (mg/m²)' }) group: number;
  @ApiProperty() patients: number;
  @ApiProperty({ type: SummaryView }) percentChange: SummaryView;
  @ApiProperty({ type: SummaryView }) percentOfBaseline: SummaryView;
}

export class GroupsByLabView {
  @ApiProperty({ type: [GroupView] }) IGM: GroupView[];
  @ApiProperty({ type: [GroupView] }) ANTI_MAG: GroupView[];
}

export class RetreatmentSummaryView {
  @ApiProperty() patientsWithSignal: number;
  @ApiProperty(countsBy(SIGNAL_KINDS)) firstSignal: Record<string, number>;
}

/** Endpoints summarised over a group of patients (`EndpointSummary`). */
export class EndpointSummaryView {
  @ApiProperty() patients: number;
  @ApiProperty() treated: number;
  @ApiProperty({ type: LabSummaryView }) igm: LabSummaryView;
  @ApiProperty({ type: LabSummaryView }) antiMag: LabSummaryView;
  @ApiPropertyOptional({ type: DepletionCountView, description: 'Absent for blinded readers' }) bCellDepletion?: DepletionCountView;
  @ApiProperty({ type: [ClinicalStatusAtVisitView] }) clinicalStatus: ClinicalStatusAtVisitView[];
  @ApiProperty({ type: UlnarCountsView }) ulnar: UlnarCountsView;
  @ApiProperty({ type: IncatSummaryView }) incat: IncatSummaryView;
  @ApiProperty({ type: GroupsByLabView }) byCycle: GroupsByLabView;
  @ApiProperty({ type: GroupsByLabView }) byDoseLevel: GroupsByLabView;
  @ApiProperty({ type: RetreatmentSummaryView }) retreatment: RetreatmentSummaryView;
}

export class ResponderRuleView {
  @ApiProperty({ enum: ['decrease', 'increase'] }) direction: string;
  @ApiProperty() by: number;
  @ApiProperty({ enum: ['points', 'percent'] }) scale: string;
  @ApiProperty({ description: '`more than` rather than `at least`' }) strict: boolean;
}

export class EndpointGroupView {
  @ApiProperty() population: number;
  @ApiProperty() evaluable: number;
  @ApiPropertyOptional() responders?: number;
  @ApiPropertyOptional() proportion?: number;
  @ApiProperty({ type: SummaryView }) change: SummaryView;
  @ApiProperty({ type: SummaryView }) percentChange: SummaryView;
  @ApiPropertyOptional({ ...NUMBER_MAP, description: 'Global status endpoints: improved / stable / worsened at the visit' })
  statuses?: Record<string, number>;
}

export class DoseLevelGroupView extends EndpointGroupView {
  @ApiProperty() doseLevelMgPerM2: number;
}

/** A protocol endpoint at its visit (`EndpointResult`), the primary one first. */
export class EndpointResultView extends EndpointGroupView {
  @ApiProperty({ example: 'incat-leg-responders' }) endpoint: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ENDPOINT_MEASURES }) measure: string;
  @ApiProperty() primary: boolean;
  @ApiProperty() visit: string;
  @ApiPropertyOptional({ type: ResponderRuleView }) rule?: ResponderRuleView;
  @ApiPropertyOptional({ type: [DoseLevelGroupView] }) byDoseLevel?: DoseLevelGroupView[];
}

export class PooledEndpoints extends AtVisitView {
  @ApiProperty({ enum: ['latest', 'nadir'] }) point: string;
  @ApiProperty({ type: EndpointSummaryView }) pooled: EndpointSummaryView;
  @ApiProperty({ type: [EndpointResultView] }) protocolEndpoints: EndpointResultView[];
}

export class ProportionView {
  @ApiPropertyOptional({ description: 'respondersA / nA; absent for an empty arm' }) proportionA?: number;
  @ApiPropertyOptional() proportionB?: number;
  @ApiPropertyOptional({ description: 'proportionA − proportionB' }) difference?: number;
  @ApiProperty({ description: "Two-sided Fisher's exact test" }) p: number;
  @ApiProperty() respondersA: number;
  @ApiProperty() nA: number;
  @ApiProperty() respondersB: number;
  @ApiProperty() nB: number;
}

export class MeanDifferenceView {
  @ApiProperty({ description: 'mean(A) − mean(B)' }) difference: number;
  @ApiProperty() lower: number;
  @ApiProperty() upper: number;
  @ApiProperty() level: number;
  @ApiProperty() standardError: number;
  @ApiProperty({ description: 'Welch–Satterthwaite degrees of freedom' }) df: number;
  @ApiProperty({ enum: ['welch'] }) method: string;
}

/** Arm A against arm B (`ArmComparison`): differences are A − B. */
export class ArmComparisonView {
  @ApiProperty() armA: string;
  @ApiProperty() armB: string;
  @ApiProperty({ type: ProportionView }) ulnarResponders: ProportionView;
  @ApiProperty({ type: ProportionView }) ulnarWorseners: ProportionView;
  @ApiProperty({ type: ProportionView }) incatResponders: ProportionView;
  @ApiProperty({ type: ProportionView }) incatLegResponders: ProportionView;
  @ApiProperty({ type: ProportionView }) bCellDepletion: ProportionView;
  @ApiProperty({ type: MeanDifferenceView, nullable: true }) igmLatestPercentChange: MeanDifferenceView | null;
  @ApiProperty({ type: MeanDifferenceView, nullable: true }) antiMagLatestPercentChange: MeanDifferenceView | null;
  @ApiProperty({ type: MeanDifferenceView, nullable: true }) incatChange: MeanDifferenceView | null;
  @ApiProperty({ type: MeanDifferenceView, nullable: true }) sensorySumChange: MeanDifferenceView | null;
}

export class EndpointComparisonView {
  @ApiProperty({ type: [String], minItems: 2, maxItems: 2 }) arms: string[];
  @ApiProperty({ enum: ['fisher-exact', 'welch-mean-difference'] }) test: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'fisher-exact: proportionA, proportionB, difference, p; welch-mean-difference: difference, lower, upper, level, ...',
  })
  result: Record<string, unknown>;
}

export class ArmEndpointResultView extends EndpointResultView {
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(EndpointGroupView) }, description: 'By arm' })
  arms: Record<string, EndpointGroupView>;
  @ApiProperty({ type: EndpointComparisonView, nullable: true }) comparison: EndpointComparisonView | null;
}

export class EndpointsByArm extends AtVisitView {
  @ApiProperty({ enum: ['latest', 'nadir'] }) point: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(EndpointSummaryView) }, description: 'By arm' })
  arms: Record<string, EndpointSummaryView>;
  @ApiProperty({ type: ArmComparisonView, nullable: true, description: 'When exactly two arms are allocated' })
  comparison: ArmComparisonView | null;
  @ApiProperty({ type: [ArmEndpointResultView] }) protocolEndpoints: ArmEndpointResultView[];
}

export class TermCountView {
  @ApiProperty() term: string;
  @ApiProperty() events: number;
  @ApiProperty() patients: number;
}

/** Adverse events of a group of patients (`SafetySummary`). */
export class SafetySummaryView {
  @ApiProperty() patients: number;
  @ApiProperty() patientsWithEvents: number;
  @ApiProperty() events: number;
  @ApiProperty() serious: number;
  @ApiProperty() patientsWithSeriousEvents: number;
  @ApiProperty({ description: 'Possibly, probably or definitely related' }) related: number;
  @ApiProperty(countsBy(GRADES)) byGrade: Record<string, number>;
  @ApiProperty({ type: [TermCountView] }) byTerm: TermCountView[];
}

export class PooledSafety {
  @ApiProperty({ type: AnalysisTrialView }) trial: AnalysisTrialView;
  @ApiProperty({ type: SafetySummaryView }) pooled: SafetySummaryView;
}

export class SafetyByArm {
  @ApiProperty({ type: AnalysisTrialView }) trial: AnalysisTrialView;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(SafetySummaryView) }, description: 'By arm' })
  arms: Record<string, SafetySummaryView>;
}

export class ArmView {
  @ApiProperty() code: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional({ description: 'Open-label trials only' }) ratio?: number;
  @ApiPropertyOptional({ description: 'Open-label trials only' }) placebo?: boolean;
}

export class VisitWindowView {
  @ApiProperty({ description: 'Days before the target day' }) before: number;
  @ApiProperty({ description: 'Days after the target day' }) after: number;
}

export class ProtocolVisitView {
  @ApiProperty({ example: 'month-8' }) name: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: ['consent', 'randomization', 'first-infusion'] }) anchor: string;
  @ApiProperty({ description: 'Target day after the anchor' }) day: number;
  @ApiProperty({ type: VisitWindowView }) window: VisitWindowView;
  @ApiProperty({ enum: FORM_CODES, isArray: true }) forms: string[];
}

export class EndpointDefinitionView {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiProperty() primary: boolean;
  @ApiProperty({ enum: ENDPOINT_MEASURES }) measure: string;
  @ApiProperty() visit: string;
  @ApiPropertyOptional({ type: ResponderRuleView }) responder?: ResponderRuleView;
  @ApiProperty({ enum: ['randomized', 'treated'] }) population: string;
  @ApiProperty({ enum: ['non-responder', 'exclude'] }) missing: string;
  @ApiProperty({ enum: ['fisher-exact', 'welch-mean-difference', 'none'] }) test: string;
  @ApiProperty() byDoseLevel: boolean;
}

/** The protocol's named visits and endpoints: what `?visit=` and the endpoint results refer to. */
export class AnalysisProtocolView extends AsOfDayView {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['open-label', 'double-blind-placebo-controlled'] }) design: string;
  @ApiProperty({ type: [ArmView], description: 'Blinded designs: code and label only' }) arms: ArmView[];
  @ApiProperty({ type: [String] }) maskedAnalytes: string[];
  @ApiProperty({ type: [ProtocolVisitView] }) visits: ProtocolVisitView[];
  @ApiProperty({ description: 'How an observation is assigned to a visit' }) visitAssignment: string;
  @ApiProperty({ type: [EndpointDefinitionView] }) endpoints: EndpointDefinitionView[];
}
