import type {
  DatedObservation,
  DatedStatusAssessment,
  GlobalStatus,
  InfusionDay,
  ParameterCode,
  Qualifier,
  VisitAnchorFacts,
} from '@trialstream/domain';
import type { DataSource } from 'typeorm';
import type { AdverseEventRecord, StoredPatientRecord } from '../endpoints/patient-record';
import { ANALYSIS_SCHEMA, ANALYSIS_TABLES } from '../projection/analysis.projection';

/** null: every site; otherwise only these (possibly none). */
export type SiteFilter = readonly string[] | null;

export interface ReadFilter {
  sites: SiteFilter;
  /** Analytes the reader may not see; they are never selected, so nothing downstream can leak them. */
  maskedAnalytes: readonly string[];
}

/** One row of the analysis dataset export, with the patient's anchors: the reader's caller names its visit. */
export interface DatasetRow extends VisitAnchorFacts {
  subject: string;
  site: string | null;
  kitNumber: string | null;
  parameter: string;
  unit: string;
  date: string;
  cycle: number;
  doseLevel: number | null;
  value: string;
  qualifier: string;
  baseline: number | null;
  baselineQualifier: string | null;
  change: number | null;
  percentChange: number | null;
  percentOfBaseline: number | null;
}

const table = (name: string) => `"${ANALYSIS_SCHEMA}"."${name}"`;
const asNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** WHERE conditions for the caller's scope; parameters are appended to `parameters`. */
function scopeClause(filter: ReadFilter, parameters: unknown[], { masked = false } = {}): string {
  const conditions: string[] = [];
  if (filter.sites) {
    parameters.push(filter.sites);
    conditions.push(`site_id = ANY($${parameters.length}::text[])`);
  }
  if (masked && filter.maskedAnalytes.length > 0) {
    parameters.push(filter.maskedAnalytes);
    conditions.push(`parameter <> ALL($${parameters.length}::text[])`);
  }
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

type Row = Record<string, unknown>;

const PATIENTS = (scope: string) =>
  `SELECT patient_id, site_id, status, kit_number, randomized_on::text AS randomized_on, first_infusion_on::text AS first_infusion_on,
          code_broken_on, cycles, dose_levels
     FROM ${table(ANALYSIS_TABLES.patients)} ${scope} ORDER BY patient_id`;
const OBSERVATIONS = (scope: string) =>
  `SELECT patient_id, parameter, date::text AS date, cycle, dose_level, value, qualifier
     FROM ${table(ANALYSIS_TABLES.observations)} ${scope} ORDER BY patient_id, parameter, date, entry_order`;
const STATUSES = (scope: string) =>
  `SELECT patient_id, date::text AS date, cycle, dose_level, status
     FROM ${table(ANALYSIS_TABLES.statuses)} ${scope} ORDER BY patient_id, date, entry_order`;
const INFUSIONS = (scope: string) =>
  `SELECT patient_id, date::text AS date, cycle, dose_level FROM ${table(ANALYSIS_TABLES.infusions)} ${scope}
    ORDER BY patient_id, date, event_id`;
const ADVERSE_EVENTS = (scope: string) =>
  `SELECT patient_id, date::text AS date, term, serious, grade, relatedness, cycle FROM ${table(ANALYSIS_TABLES.adverseEvents)}
    ${scope} ORDER BY patient_id, date, event_id`;

/** The dates a patient's visits count from, as far as they are reached. */
export const anchorsOf = (row: Row): VisitAnchorFacts => ({
  ...(row.randomized_on === null ? {} : { randomizedOn: String(row.randomized_on) }),
  ...(row.first_infusion_on === null ? {} : { firstInfusionDate: String(row.first_infusion_on) }),
});

/** A patient's row, its series still empty. */
const recordOf = (row: Row): StoredPatientRecord => ({
  patientId: String(row.patient_id),
  siteId: row.site_id as string | null,
  status: String(row.status),
  kitNumber: row.kit_number as string,
  ...anchorsOf(row),
  codeBroken: row.code_broken_on !== null,
  cycles: Number(row.cycles),
  doseLevels: (row.dose_levels as number[]) ?? [],
  series: {},
  globalStatus: [],
  infusions: [],
  adverseEvents: [],
});

/** Cycle and the dose level in force (absent before the first infusion). */
const treatmentOf = (row: Row) => ({
  cycle: Number(row.cycle),
  ...(row.dose_level === null ? {} : { doseLevelMgPerM2: Number(row.dose_level) }),
});

const observationOf = (row: Row): DatedObservation => ({
  date: String(row.date),
  ...treatmentOf(row),
  value: Number(row.value),
  qualifier: row.qualifier as Qualifier,
});

const statusOf = (row: Row): DatedStatusAssessment => ({
  date: String(row.date),
  ...treatmentOf(row),
  status: row.status as GlobalStatus,
});

const infusionOf = (row: Row): InfusionDay => ({
  date: String(row.date),
  cycle: Number(row.cycle),
  doseLevelMgPerM2: Number(row.dose_level),
});

const adverseEventOf = (row: Row): AdverseEventRecord => ({
  date: String(row.date),
  term: String(row.term),
  serious: Boolean(row.serious),
  grade: Number(row.grade),
  relatedness: String(row.relatedness),
  cycle: Number(row.cycle),
});

/**
 * Reads the analysis read model. Dates come back from the `date` columns as text (the projection
 * runtime stores canonical YYYY-MM-DD), sorted so that series keep their recording order per day.
 */
export class AnalysisReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Randomized (or withdrawn after randomization) patients with every series the reader may see. */
  async patients(filter: ReadFilter): Promise<StoredPatientRecord[]> {
    const patients = await this.select(filter, PATIENTS);
    const records = new Map(patients.filter((row) => row.kit_number !== null).map((row) => [String(row.patient_id), recordOf(row)]));
    const eachRecordOf = (rows: Row[], add: (record: StoredPatientRecord, row: Row) => void): void => {
      for (const row of rows) {
        const record = records.get(String(row.patient_id));
        if (record) add(record, row);
      }
    };
    eachRecordOf(await this.select(filter, OBSERVATIONS, { masked: true }), (record, row) => {
      const parameter = row.parameter as ParameterCode;
      record.series[parameter] = [...(record.series[parameter] ?? []), observationOf(row)];
    });
    eachRecordOf(await this.select(filter, STATUSES), (record, row) => (record.globalStatus = [...record.globalStatus, statusOf(row)]));
    eachRecordOf(await this.select(filter, INFUSIONS), (record, row) => (record.infusions = [...record.infusions, infusionOf(row)]));
    eachRecordOf(
      await this.select(filter, ADVERSE_EVENTS),
      (record, row) => (record.adverseEvents = [...record.adverseEvents, adverseEventOf(row)]),
    );
    return [...records.values()];
  }

  /** The rows of a query, restricted to the reader's scope (and, when `masked`, without masked parameters). */
  private select(filter: ReadFilter, sql: (scope: string) => string, options: { masked?: boolean } = {}): Promise<Row[]> {
    const parameters: unknown[] = [];
    return this.dataSource.query(sql(scopeClause(filter, parameters, options)), parameters);
  }

  /** One row per patient, parameter and date (global status included as text), in subject order. */
  async dataset(filter: ReadFilter): Promise<DatasetRow[]> {
    const p: unknown[] = [];
    const scope = scopeClause(filter, p, { masked: true });
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT o.patient_id, o.site_id, pt.kit_number, o.parameter, o.unit, o.date::text AS date, o.cycle, o.dose_level,
              o.value::text AS value, o.qualifier, o.baseline_value, o.baseline_qualifier, o.change, o.percent_change,
              o.percent_of_baseline, o.entry_order, pt.randomized_on::text AS randomized_on,
              pt.first_infusion_on::text AS first_infusion_on
         FROM (SELECT * FROM ${table(ANALYSIS_TABLES.observations)} ${scope}) o
         JOIN ${table(ANALYSIS_TABLES.patients)} pt USING (patient_id)
       UNION ALL
       SELECT s.patient_id, s.site_id, pt.kit_number, 'GLOBAL_STATUS', '', s.date::text, s.cycle, s.dose_level,
              s.status, '=', NULL, NULL, NULL, NULL, NULL, s.entry_order, pt.randomized_on::text, pt.first_infusion_on::text
         FROM (SELECT * FROM ${table(ANALYSIS_TABLES.statuses)} ${scopeClause(filter, p)}) s
         JOIN ${table(ANALYSIS_TABLES.patients)} pt USING (patient_id)
       ORDER BY patient_id, parameter, date, entry_order`,
      p,
    );
    return rows.map((row) => ({
      subject: String(row.patient_id),
      site: row.site_id as string | null,
      kitNumber: row.kit_number as string | null,
      parameter: String(row.parameter),
      unit: String(row.unit),
      date: String(row.date),
      cycle: Number(row.cycle),
      doseLevel: asNumber(row.dose_level),
      value: String(row.value),
      qualifier: String(row.qualifier),
      baseline: asNumber(row.baseline_value),
      baselineQualifier: row.baseline_qualifier as string | null,
      change: asNumber(row.change),
      percentChange: asNumber(row.percent_change),
      percentOfBaseline: asNumber(row.percent_of_baseline),
      ...anchorsOf(row),
    }));
  }
}
