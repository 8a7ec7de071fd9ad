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

/** WHERE conditions for the caller's scope, and any further ones; parameters are appended to `parameters`. */
function scopeClause(filter: ReadFilter, parameters: unknown[], { masked = false } = {}, ...further: string[]): string {
  const conditions: string[] = [];
  if (filter.sites) {
    parameters.push(filter.sites);
    conditions.push(`site_id = ANY($${parameters.length}::text[])`);
  }
  if (masked && filter.maskedAnalytes.length > 0) {
    parameters.push(filter.maskedAnalytes);
    conditions.push(`parameter <> ALL($${parameters.length}::text[])`);
  }
  conditions.push(...further);
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
}

type Row = Record<string, unknown>;

/** Patients with a kit: the ones an analysis counts (randomized, or withdrawn after randomization). */
const ALLOCATED = 'kit_number IS NOT NULL';
/** The allocated patients in scope, each with the stream version its rows were derived at. */
const VERSIONS = (scope: string) =>
  `SELECT patient_id, stream_version FROM ${table(ANALYSIS_TABLES.patients)} ${scope} ORDER BY patient_id`;
/** The lab unit conversions every patient's rows were derived with: a protocol version that adds one derives rows again. */
const CONVERSIONS = `SELECT coalesce(string_agg(trial || ':' || conversions::text, ',' ORDER BY trial), '') AS conversions
  FROM ${table(ANALYSIS_TABLES.labUnits)}`;
const PATIENTS = (scope: string) =>
  `SELECT patient_id, stream_version, site_id, status, kit_number, randomized_on::text AS randomized_on, first_infusion_on::text AS first_infusion_on,
          code_broken_on, cycles, dose_levels
     FROM ${table(ANALYSIS_TABLES.patients)} ${scope}`;
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

/** Records of one set of masked analytes, by patient, each with the stream version its rows were derived at. */
interface RecordsSeen {
  conversions: string;
  byPatient: Map<string, { version: number; record: StoredPatientRecord }>;
}

/** Readers differ in what they may see (blinded or not): at most this many sets of masked analytes keep their records. */
const MASK_SETS_KEPT = 4;

type Query = (sql: string, parameters: unknown[]) => Promise<Row[]>;

/**
 * Reads the analysis read model. Dates come back from the `date` columns as text (the projection
 * runtime stores canonical YYYY-MM-DD), sorted so that series keep their recording order per day.
 *
 * A statistician's every request reads every patient: the records read stay in memory, one set per set
 * of masked analytes (masked values are never selected, so never kept), and a request reads again only
 * the patients whose stream version moved, all of them when a protocol version changed the lab unit
 * conversions. Which patients a request gets is still decided in SQL by the reader's scope.
 */
export class AnalysisReader {
  private readonly seen = new Map<string, RecordsSeen>();

  constructor(private readonly dataSource: DataSource) {}

  /** Randomized (or withdrawn after randomization) patients with every series the reader may see. */
  patients(filter: ReadFilter): Promise<StoredPatientRecord[]> {
    // one snapshot: the versions and the rows read for them agree
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const query: Query = (sql, parameters) => manager.query(sql, parameters);
      const [{ conversions }] = await query(CONVERSIONS, []);
      const seen = this.recordsSeen(filter.maskedAnalytes, String(conversions));
      const parameters: unknown[] = [];
      const versions = await query(VERSIONS(scopeClause(filter, parameters, {}, ALLOCATED)), parameters);
      const stale = versions
        .filter((row) => seen.byPatient.get(String(row.patient_id))?.version !== Number(row.stream_version))
        .map((row) => String(row.patient_id));
      if (stale.length > 0) {
        for (const record of await this.read(query, filter, stale.length === versions.length ? null : stale)) {
          seen.byPatient.set(record.record.patientId, record);
        }
      }
      return versions
        .map((row) => seen.byPatient.get(String(row.patient_id))?.record)
        .filter((record): record is StoredPatientRecord => record !== undefined);
    });
  }

  private recordsSeen(maskedAnalytes: readonly string[], conversions: string): RecordsSeen {
    const key = [...maskedAnalytes].sort().join('|');
    const known = this.seen.get(key);
    if (known && known.conversions === conversions) return known;
    const fresh: RecordsSeen = { conversions, byPatient: new Map() };
    this.seen.delete(key);
    if (this.seen.size >= MASK_SETS_KEPT) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, fresh);
    return fresh;
  }

  /** The records of the patients named (null: every patient in scope), read afresh. */
  private async read(
    query: Query,
    filter: ReadFilter,
    patientIds: string[] | null,
  ): Promise<Array<{ version: number; record: StoredPatientRecord }>> {
    const select = async (sql: (scope: string) => string, options: { masked?: boolean } = {}, ...conditions: string[]): Promise<Row[]> => {
      const parameters: unknown[] = [];
      const named = patientIds === null ? [] : [`patient_id = ANY($${parameters.push(patientIds)}::text[])`];
      return query(sql(scopeClause(filter, parameters, options, ...named, ...conditions)), parameters);
    };
    const patients = await select(PATIENTS, {}, ALLOCATED);
    const records = new Map(
      patients.map((row) => [String(row.patient_id), { version: Number(row.stream_version), record: recordOf(row) }]),
    );
    const eachRecordOf = (rows: Row[], add: (record: StoredPatientRecord, row: Row) => void): void => {
      for (const row of rows) {
        const record = records.get(String(row.patient_id))?.record;
        if (record) add(record, row);
      }
    };
    eachRecordOf(await select(OBSERVATIONS, { masked: true }), (record, row) => {
      const series = (record.series[row.parameter as ParameterCode] ??= []) as DatedObservation[];
      series.push(observationOf(row));
    });
    eachRecordOf(await select(STATUSES), (record, row) => (record.globalStatus as DatedStatusAssessment[]).push(statusOf(row)));
    eachRecordOf(await select(INFUSIONS), (record, row) => (record.infusions as InfusionDay[]).push(infusionOf(row)));
    eachRecordOf(await select(ADVERSE_EVENTS), (record, row) => (record.adverseEvents as AdverseEventRecord[]).push(adverseEventOf(row)));
    return [...records.values()];
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
