import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import type { Principal } from '@trialstream/auth';
import { PROTOCOL } from '@trialstream/config';
import { ProtocolRegistry } from '@trialstream/protocol';
import {
  ArmEndpointResult,
  EndpointResult,
  EndpointSubject,
  evaluateEndpoint,
  evaluateEndpointByArm,
  isBlindedDesign,
  type GroupPoint,
  type ProtocolDefinition,
  type RetreatmentThresholds,
  type VisitSchedule,
} from '@trialstream/domain';
import { stringify } from 'csv-stringify/sync';
import { decimalString } from '@trialstream/exports';
import { AllocationStore } from '@trialstream/allocation';
import {
  ArmComparison,
  compareArms,
  EndpointSummary,
  type EvaluationOptions,
  orderArms,
  PatientEndpoints,
  patientEndpoints,
  PatientRecord,
  recordAsOf,
  SafetySummary,
  summarizeEndpoints,
  StoredPatientRecord,
  summarizeSafety,
  withVisitNamed,
  withVisitsNamed,
} from '../endpoints';
import { AnalysisReader } from '../read/analysis-reader';
import { ComputedOnce } from './computed-once';
import { ReaderAccess, ReaderView } from './reader-access';

export interface EndpointOptions {
  /** YYYY-MM-DD: the analysis as of that day (data dated up to it, the protocol version in force then); default today. */
  asOf?: string;
  visit?: string;
  point?: GroupPoint;
  thresholds?: Partial<RetreatmentThresholds>;
}

/** Patients whose kit is not on the allocation list (kits reported by an external IWRS) have no arm here. */
export const UNALLOCATED = 'unallocated';

export interface TrialView {
  status: string;
  lockedAt: string | null;
  unblindedAt: string | null;
}

/** Depletion is shown to whoever may see CD19 and CD20: unblinded roles, and everyone in an open-label trial. */
const bCellsVisible = (view: ReaderView): boolean =>
  !view.filter.maskedAnalytes.some((analyte) => analyte === 'CD19' || analyte === 'CD20');

type Evaluation = EvaluationOptions & { point?: GroupPoint };

const trialOf = (view: ReaderView): TrialView => ({
  status: view.trial.status,
  lockedAt: view.trial.lockedAt,
  unblindedAt: view.trial.unblindedAt,
});

/**
 * The protocol a read is made by: the version in force on its as-of day names the visits and endpoints
 * (a point-in-time view uses the version in force then), and each observation is placed in a visit by
 * the version in force on its own date (an amendment judges data from its effective date on).
 */
interface ProtocolView {
  /** Absent: today, and every stored data. */
  asOf?: string;
  /** Equal keys, the same protocol read: the versions logged, and the day read as of. */
  key: string;
  protocol: ProtocolDefinition;
  scheduleOn: (date: string) => VisitSchedule;
}

/** Names a question: the protocol read and the evaluation's options (the schedule is the protocol's). */
const questionKey = (protocol: ProtocolView, { schedule: _named, ...options }: Evaluation): string =>
  JSON.stringify([protocol.key, options]);

const DATASET_COLUMNS = [
  'subject',
  'site',
  'parameter',
  'unit',
  'visit',
  'date',
  'cycle',
  'dose_level',
  'value',
  'qualifier',
  'baseline',
  'baseline_qualifier',
  'change',
  'percent_change',
  'percent_of_baseline',
];

/**
 * The analysis API's answers: records from the read model, endpoints from the domain's pure
 * statistics, arms from the allocation store only when ReaderAccess allows them.
 */
@Injectable()
export class AnalysisService {
  private readonly computed = new ComputedOnce();

  constructor(
    private readonly reader: AnalysisReader,
    private readonly allocation: AllocationStore,
    private readonly access: ReaderAccess,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
    private readonly protocols: ProtocolRegistry,
  ) {}

  /** Another process may have activated a version: the versions are read again with every analysis request. */
  private async protocolView(asOf: string | undefined): Promise<ProtocolView> {
    await this.protocols.refresh();
    return {
      ...(asOf === undefined ? {} : { asOf }),
      key: `${asOf ?? 'today'}|${this.protocols.versionsKey()}`,
      protocol: asOf === undefined ? this.protocol : this.protocols.inForceAt(asOf),
      scheduleOn: (date) => this.protocols.inForceAt(date).schedule,
    };
  }

  /** The protocol's named visits and endpoints: what `?visit=` and the endpoint results refer to (as of a day: the version in force then). */
  async protocolSummary(asOf?: string) {
    const p = (await this.protocolView(asOf)).protocol;
    return {
      ...(asOf === undefined ? {} : { asOf }),
      id: p.id,
      title: p.title,
      design: p.design,
      arms: isBlindedDesign(p) ? p.randomization.arms.map(({ code, label }) => ({ code, label })) : p.randomization.arms,
      maskedAnalytes: p.maskedAnalytes,
      visits: p.schedule.assessmentVisits.map((visit) => ({
        name: visit.visitId,
        label: visit.label,
        anchor: visit.anchor,
        day: visit.daysAfterAnchor,
        window: { before: visit.window.daysBefore, after: visit.window.daysAfter },
        forms: visit.forms,
      })),
      visitAssignment:
        'an observation belongs to the visit whose window contains its date (overlapping windows: the closer target day, then the earlier visit); ' +
        'a visit reads, of several observations in its window, the one closest to the target day, then the earliest',
      endpoints: p.endpoints,
    };
  }

  /** The protocol view of a request; a visit asked for must be one of its protocol's: anything else is a 400 naming the field. */
  private async viewFor(options: EndpointOptions): Promise<ProtocolView> {
    const view = await this.protocolView(options.asOf);
    const { visit } = options;
    const visits = view.protocol.schedule.assessmentVisits;
    if (visit === undefined || visits.some((known) => known.visitId === visit)) return view;
    const names = visits.map((known) => known.visitId).join(', ');
    throw new ApiError(400, 'bad_request', `visit: '${visit}' is not a visit of the protocol (${names})`, [
      { field: 'visit', rule: 'unknown-visit' },
    ]);
  }

  private async recordsOf(filter: ReaderView['filter'], protocol: ProtocolView): Promise<PatientRecord[]> {
    const records = await this.reader.patients(filter);
    const asOf = protocol.asOf;
    if (asOf !== undefined) {
      return records.flatMap((record) => recordAsOf(record, asOf) ?? []).map((record) => withVisitsNamed(record, protocol.scheduleOn));
    }
    return records.map((record) => this.computed.of(record, protocol.key, () => withVisitsNamed(record, protocol.scheduleOn)));
  }

  /** B-cell endpoints reveal the arm in a blinded trial: readers for whom CD19/CD20 are masked never get them, not even pooled. */
  private endpointsFor(view: ReaderView, protocol: ProtocolView) {
    const bCellsMasked = view.filter.maskedAnalytes.some((analyte) => analyte === 'CD19' || analyte === 'CD20');
    return protocol.protocol.endpoints.filter((endpoint) => !(bCellsMasked && endpoint.measure === 'B_CELL_DEPLETION'));
  }

  private subjectsOf(records: readonly PatientRecord[], arms?: readonly string[]): EndpointSubject[] {
    return records.map((record, index) => ({
      subjectId: record.patientId,
      randomizedOn: record.randomizedOn,
      firstInfusionDate: record.firstInfusionDate,
      series: record.series,
      globalStatus: record.globalStatus,
      infusions: record.infusions,
      ...(arms ? { arm: arms[index] } : {}),
    }));
  }

  /** Every endpoint of the protocol, each at its declared visit unless one visit is asked for; the primary one first. */
  private protocolEndpoints(
    view: ReaderView,
    protocol: ProtocolView,
    records: readonly PatientRecord[],
    visit: string | undefined,
  ): EndpointResult[] {
    const subjects = this.subjectsOf(records);
    return this.endpointsFor(view, protocol)
      .map((endpoint) => evaluateEndpoint(endpoint, protocol.scheduleOn, subjects, visit ?? endpoint.visit))
      .sort((a, b) => Number(b.primary) - Number(a.primary));
  }

  /** Each patient's endpoints for one question (the evaluation and the protocol read), computed once per record. */
  private endpointsOf(records: readonly PatientRecord[], protocol: ProtocolView, evaluation: Evaluation): PatientEndpoints[] {
    const key = questionKey(protocol, evaluation);
    return records.map((record) => this.computed.of(record, key, () => patientEndpoints(record, evaluation)));
  }

  async patients(principal: Principal, options: EndpointOptions) {
    const protocol = await this.viewFor(options);
    const view = await this.access.viewOf(principal);
    const records = await this.recordsOf(view.filter, protocol);
    const evaluation = {
      visit: options.visit,
      schedule: protocol.scheduleOn,
      includeBCells: bCellsVisible(view),
      thresholds: options.thresholds,
    };
    const endpoints = this.endpointsOf(records, protocol, evaluation);
    const asOf = protocol.asOf === undefined ? {} : { asOf: protocol.asOf };
    if (!view.armsVisible) return { ...asOf, trial: trialOf(view), visit: options.visit ?? 'latest', patients: endpoints };
    const arms = await this.armsOf(records);
    await this.access.recordArmsShown(principal, 'analysis/patients', { visit: options.visit ?? 'latest', patients: records.length });
    return {
      ...asOf,
      trial: trialOf(view),
      visit: options.visit ?? 'latest',
      patients: endpoints.map((endpoint, index) => ({ ...endpoint, arm: arms[index] })),
    };
  }

  /** Pooled over all patients in the reader's scope, for every role, blinded or not. */
  async endpoints(
    principal: Principal,
    options: EndpointOptions,
  ): Promise<{
    trial: TrialView;
    visit: string;
    point: GroupPoint;
    pooled: EndpointSummary;
    protocolEndpoints: EndpointResult[];
  }> {
    const protocol = await this.viewFor(options);
    const view = await this.access.viewOf(principal);
    const records = await this.recordsOf(view.filter, protocol);
    const evaluation = {
      visit: options.visit,
      schedule: protocol.scheduleOn,
      includeBCells: bCellsVisible(view),
      thresholds: options.thresholds,
      point: options.point,
    };
    const endpoints = this.endpointsOf(records, protocol, evaluation);
    // the same records and question, the same summary: it is computed again only when a record moved
    const summary = this.computed.ofList(`endpoints ${questionKey(protocol, evaluation)}`, records, () => ({
      pooled: summarizeEndpoints(records, endpoints, evaluation),
      protocolEndpoints: this.protocolEndpoints(view, protocol, records, options.visit),
    }));
    return {
      ...(protocol.asOf === undefined ? {} : { asOf: protocol.asOf }),
      trial: trialOf(view),
      visit: options.visit ?? 'latest',
      point: options.point ?? 'latest',
      ...summary,
    };
  }

  async endpointsByArm(principal: Principal, options: EndpointOptions) {
    const protocol = await this.viewFor(options);
    const view = await this.access.openPerArmRead(principal, 'efficacy', 'analysis/endpoints/by-arm', {
      visit: options.visit ?? 'latest',
      ...(protocol.asOf === undefined ? {} : { asOf: protocol.asOf }),
    });
    const records = await this.recordsOf(view.filter, protocol);
    const evaluation = {
      visit: options.visit,
      schedule: protocol.scheduleOn,
      includeBCells: true,
      thresholds: options.thresholds,
      point: options.point,
    };
    const groups = await this.byArm(records);
    const arms: Record<string, EndpointSummary> = {};
    const endpointsByArm = new Map<string, PatientEndpoints[]>();
    for (const [arm, members] of groups) {
      const endpoints = members.map((record) => patientEndpoints(record, evaluation));
      endpointsByArm.set(arm, endpoints);
      arms[arm] = summarizeEndpoints(members, endpoints, evaluation);
    }
    const allocated = [...groups.keys()].filter((arm) => arm !== UNALLOCATED);
    const comparison: ArmComparison | null =
      allocated.length === 2
        ? compareArms(allocated[0], endpointsByArm.get(allocated[0]) ?? [], allocated[1], endpointsByArm.get(allocated[1]) ?? [])
        : null;
    const armOf = await this.armsOf(records);
    const subjects = this.subjectsOf(records, armOf);
    const armOrder = [...groups.keys()].filter((arm) => arm !== UNALLOCATED);
    const protocolEndpoints: ArmEndpointResult[] = this.endpointsFor(view, protocol)
      .map((endpoint) => evaluateEndpointByArm(endpoint, protocol.scheduleOn, subjects, armOrder, options.visit ?? endpoint.visit))
      .sort((a, b) => Number(b.primary) - Number(a.primary));
    return {
      ...(protocol.asOf === undefined ? {} : { asOf: protocol.asOf }),
      trial: trialOf(view),
      visit: options.visit ?? 'latest',
      point: options.point ?? 'latest',
      arms,
      comparison,
      protocolEndpoints,
    };
  }

  async safety(principal: Principal): Promise<{ trial: TrialView; pooled: SafetySummary }> {
    const view = await this.access.viewOf(principal);
    return { trial: trialOf(view), pooled: summarizeSafety(await this.reader.patients(view.filter)) };
  }

  async safetyByArm(principal: Principal): Promise<{ trial: TrialView; arms: Record<string, SafetySummary> }> {
    const view = await this.access.openPerArmRead(principal, 'safety', 'analysis/safety/by-arm', {});
    const groups = await this.byArm(await this.reader.patients(view.filter));
    return { trial: trialOf(view), arms: Object.fromEntries([...groups].map(([arm, members]) => [arm, summarizeSafety(members)])) };
  }

  /** The analysis dataset as CSV; the arm column exists only for unblinded readers after unblinding. */
  async dataset(principal: Principal): Promise<string> {
    const protocol = await this.protocolView(undefined);
    const view = await this.access.viewOf(principal);
    // the visit column names the protocol's visits, each by the version in force on its date, as every endpoint does
    const rows = (await this.reader.dataset(view.filter)).map((row) => withVisitNamed(row, protocol.scheduleOn));
    const armOfKit = view.armsVisible ? await this.allocation.armsOfKits([...new Set(rows.map((row) => row.kitNumber ?? ''))]) : null;
    await this.access.recordExport(principal, 'export/analysis-dataset', {
      format: 'csv',
      rows: rows.length,
      arms: armOfKit !== null,
      maskedAnalytesLeftOut: view.filter.maskedAnalytes,
    });
    const columns = armOfKit ? [...DATASET_COLUMNS, 'arm'] : DATASET_COLUMNS;
    return stringify(
      rows.map((row) => ({
        subject: row.subject,
        site: row.site,
        parameter: row.parameter,
        unit: row.unit,
        visit: row.visit,
        date: row.date,
        cycle: row.cycle,
        dose_level: row.doseLevel,
        value: row.value,
        qualifier: row.qualifier,
        baseline: row.baseline,
        baseline_qualifier: row.baselineQualifier,
        change: row.change,
        percent_change: row.percentChange,
        percent_of_baseline: row.percentOfBaseline,
        ...(armOfKit ? { arm: armOfKit.get(row.kitNumber ?? '') ?? UNALLOCATED } : {}),
      })),
      { header: true, columns, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { number: decimalString } },
    );
  }

  private async armsOf(records: readonly StoredPatientRecord[]): Promise<string[]> {
    const arms = await this.allocation.armsOfKits(records.map((record) => record.kitNumber ?? ''));
    return records.map((record) => arms.get(record.kitNumber ?? '') ?? UNALLOCATED);
  }

  /** Patients by arm, the list's arms first (active before placebo), then the unallocated. */
  private async byArm<R extends StoredPatientRecord>(records: readonly R[]): Promise<Map<string, R[]>> {
    const arms = await this.armsOf(records);
    const ordered = [...orderArms(await this.allocation.arms()), UNALLOCATED];
    const groups = new Map<string, R[]>(ordered.map((arm) => [arm, []]));
    records.forEach((record, index) => groups.get(arms[index])?.push(record));
    if ((groups.get(UNALLOCATED) ?? []).length === 0) groups.delete(UNALLOCATED);
    return groups;
  }
}
