import { Injectable } from '@nestjs/common';
import type { Principal } from '@trialstream/auth';
import type { GroupPoint, RetreatmentThresholds } from '@trialstream/domain';
import { stringify } from 'csv-stringify/sync';
import { decimalString } from '@trialstream/exports';
import { AllocationStore } from '@trialstream/allocation';
import {
  ArmComparison,
  compareArms,
  EndpointSummary,
  orderArms,
  PatientEndpoints,
  patientEndpoints,
  PatientRecord,
  SafetySummary,
  summarizeEndpoints,
  summarizeSafety,
} from '../endpoints';
import { AnalysisReader } from '../read/analysis-reader';
import { ReaderAccess, ReaderView } from './reader-access';

export interface EndpointOptions {
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

const trialOf = (view: ReaderView): TrialView => ({
  status: view.trial.status,
  lockedAt: view.trial.lockedAt,
  unblindedAt: view.trial.unblindedAt,
});

const DATASET_COLUMNS = [
  'subject', 'site', 'parameter', 'unit', 'visit', 'date', 'cycle', 'dose_level', 'value', 'qualifier',
  'baseline', 'baseline_qualifier', 'change', 'percent_change', 'percent_of_baseline',
];

/**
 * The analysis API's answers: records from the read model, endpoints from the domain's pure
 * statistics, arms from the allocation store only when ReaderAccess allows them.
 */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly reader: AnalysisReader,
    private readonly allocation: AllocationStore,
    private readonly access: ReaderAccess,
  ) {}

  async patients(principal: Principal, options: EndpointOptions) {
    const view = await this.access.viewOf(principal);
    const records = await this.reader.patients(view.filter);
    const evaluation = { visit: options.visit, includeBCells: !view.blinded, thresholds: options.thresholds };
    const endpoints = records.map((record) => patientEndpoints(record, evaluation));
    if (!view.armsVisible) return { trial: trialOf(view), visit: options.visit ?? 'latest', patients: endpoints };
    const arms = await this.armsOf(records);
    await this.access.recordArmsShown(principal, 'analysis/patients', { visit: options.visit ?? 'latest', patients: records.length });
    return {
      trial: trialOf(view),
      visit: options.visit ?? 'latest',
      patients: endpoints.map((endpoint, index) => ({ ...endpoint, arm: arms[index] })),
    };
  }

  /** Pooled over all patients in the reader's scope, for every role, blinded or not. */
  async endpoints(principal: Principal, options: EndpointOptions): Promise<{ trial: TrialView; visit: string; point: GroupPoint; pooled: EndpointSummary }> {
    const view = await this.access.viewOf(principal);
    const records = await this.reader.patients(view.filter);
    const evaluation = { visit: options.visit, includeBCells: !view.blinded, thresholds: options.thresholds, point: options.point };
    const endpoints = records.map((record) => patientEndpoints(record, evaluation));
    return { trial: trialOf(view), visit: options.visit ?? 'latest', point: options.point ?? 'latest', pooled: summarizeEndpoints(records, endpoints, evaluation) };
  }

  async endpointsByArm(principal: Principal, options: EndpointOptions) {
    const view = await this.access.openPerArmRead(principal, 'efficacy', 'analysis/endpoints/by-arm', { visit: options.visit ?? 'latest' });
    const records = await this.reader.patients(view.filter);
    const evaluation = { visit: options.visit, includeBCells: true, thresholds: options.thresholds, point: options.point };
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
    return { trial: trialOf(view), visit: options.visit ?? 'latest', point: options.point ?? 'latest', arms, comparison };
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
    const view = await this.access.viewOf(principal);
    const rows = await this.reader.dataset(view.filter);
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

  private async armsOf(records: readonly PatientRecord[]): Promise<string[]> {
    const arms = await this.allocation.armsOfKits(records.map((record) => record.kitNumber ?? ''));
    return records.map((record) => arms.get(record.kitNumber ?? '') ?? UNALLOCATED);
  }

  /** Patients by arm, the list's arms first (active before placebo), then the unallocated. */
  private async byArm(records: readonly PatientRecord[]): Promise<Map<string, PatientRecord[]>> {
    const arms = await this.armsOf(records);
    const ordered = [...orderArms(await this.allocation.arms()), UNALLOCATED];
    const groups = new Map<string, PatientRecord[]>(ordered.map((arm) => [arm, []]));
    records.forEach((record, index) => groups.get(arms[index])?.push(record));
    if ((groups.get(UNALLOCATED) ?? []).length === 0) groups.delete(UNALLOCATED);
    return groups;
  }
}
