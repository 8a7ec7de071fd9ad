import { defineProjection, type ProjectionHandler, type ProjectionHandlers, type RowAccess, type RowRef } from '@trialstream/projections';
import type { EventEnvelope } from '@trialstream/domain';
import { ANALYSED_EVENT_TYPES, AnalysisSource, evolveSource, patientIdOfStream } from './analysis-source';
import { PatientRows, patientRowsOf } from './analysis-rows';

export const ANALYSIS_SCHEMA = 'analysis';

export const ANALYSIS_TABLES = {
  sources: 'patient_sources',
  patients: 'patients',
  observations: 'observations',
  statuses: 'global_statuses',
  infusions: 'infusions',
  adverseEvents: 'adverse_events',
} as const;

type DerivedTable = Exclude<keyof typeof ANALYSIS_TABLES, 'sources'>;

/** Each derived table's rows of one patient, with the key that names each row. */
const derivedRows = (rows: PatientRows): Record<DerivedTable, Array<{ key: Record<string, unknown>; row: Record<string, unknown> }>> => ({
  patients: [{ key: { patient_id: rows.patient.patient_id }, row: rows.patient }],
  observations: rows.observations.map((row) => ({
    key: { patient_id: row.patient_id, parameter: row.parameter, event_id: row.event_id },
    row,
  })),
  statuses: rows.statuses.map((row) => ({ key: { patient_id: row.patient_id, event_id: row.event_id }, row })),
  infusions: rows.infusions.map((row) => ({ key: { patient_id: row.patient_id, event_id: row.event_id }, row })),
  adverseEvents: rows.adverseEvents.map((row) => ({ key: { patient_id: row.patient_id, event_id: row.event_id }, row })),
});

/**
 * Folds the event into the patient's source and derives the patient's rows afresh: a correction of
 * the first infusion moves every baseline, visit and cycle, so nothing derived is patched in place.
 * Rows the new source no longer yields (a voided entry) are deleted: they are exactly those the old
 * source yielded and the new one does not.
 */
const applyPatientEvent: ProjectionHandler = async (event, rows: RowAccess) => {
  const patientId = patientIdOfStream(event.streamId);
  const stored = (await rows.get(ANALYSIS_TABLES.sources, patientId)) as { source: AnalysisSource } | undefined;
  const before = stored?.source;
  const after = evolveSource(before, event);
  rows.put(ANALYSIS_TABLES.sources, { patient_id: patientId, source: after });

  const next = derivedRows(patientRowsOf(after));
  const previous = before ? derivedRows(patientRowsOf(before)) : undefined;
  for (const table of Object.keys(next) as DerivedTable[]) {
    const earlier = new Map((previous?.[table] ?? []).map(({ key, row }) => [JSON.stringify(key), { key, row: JSON.stringify(row) }]));
    const kept = new Set(next[table].map(({ key }) => JSON.stringify(key)));
    for (const [id, { key }] of earlier) if (!kept.has(id)) rows.delete(ANALYSIS_TABLES[table], key);
    // most events change few rows (one new value, one series): unchanged rows are not written again
    for (const { key, row } of next[table]) {
      if (earlier.get(JSON.stringify(key))?.row !== JSON.stringify(row)) rows.put(ANALYSIS_TABLES[table], row);
    }
  }
};

const handlers: ProjectionHandlers = Object.fromEntries(ANALYSED_EVENT_TYPES.map((type) => [type, applyPatientEvent]));

const prefetch = (event: EventEnvelope): RowRef[] =>
  (ANALYSED_EVENT_TYPES as readonly string[]).includes(event.type)
    ? [{ table: ANALYSIS_TABLES.sources, key: patientIdOfStream(event.streamId) }]
    : [];

const bySubject = ['patient_id'];
const treatment = { cycle: 'integer', dose_level: { type: 'double', nullable: true } } as const;

/**
 * The blinded analysis read model: per patient and visit, every analysed parameter in canonical units
 * with its baseline, change and nadir, the treatment cycle and dose level, and the patient's adverse
 * events. Every row is one patient's, folded from that patient's stream alone, so it does not depend
 * on how streams interleave. It holds kit numbers but never an arm: arms stay in the `allocation`
 * schema and are joined at query time, for unblinded readers only.
 */
export const ANALYSIS_PROJECTION = defineProjection({
  name: 'analysis',
  // 2: the patient's source is the domain's fold (`evolvePatient`), so a read model of version 1 is rebuilt
  version: 2,
  // The analysis of the unblinded side reads B-cell counts: it holds the field keys.
  readsMaskedValues: true,
  schema: ANALYSIS_SCHEMA,
  tables: [
    { name: ANALYSIS_TABLES.sources, columns: { patient_id: 'text', source: 'jsonb' }, primaryKey: bySubject },
    {
      name: ANALYSIS_TABLES.patients,
      columns: {
        patient_id: 'text',
        site_id: { type: 'text', nullable: true },
        status: 'text',
        stratum: { type: 'text', nullable: true },
        kit_number: { type: 'text', nullable: true },
        randomized_on: { type: 'date', nullable: true },
        first_infusion_on: { type: 'date', nullable: true },
        withdrawn_on: { type: 'date', nullable: true },
        code_broken_on: { type: 'date', nullable: true },
        cycles: 'integer',
        dose_levels: 'jsonb',
      },
      primaryKey: bySubject,
      indexes: [['site_id']],
    },
    {
      name: ANALYSIS_TABLES.observations,
      columns: {
        patient_id: 'text',
        parameter: 'text',
        event_id: 'text',
        entry_order: 'integer',
        site_id: { type: 'text', nullable: true },
        date: 'date',
        visit: 'text',
        ...treatment,
        value: 'double',
        qualifier: 'text',
        unit: 'text',
        is_baseline: 'boolean',
        is_nadir: 'boolean',
        baseline_value: { type: 'double', nullable: true },
        baseline_qualifier: { type: 'text', nullable: true },
        change: { type: 'double', nullable: true },
        percent_change: { type: 'double', nullable: true },
        percent_of_baseline: { type: 'double', nullable: true },
        change_censored: 'boolean',
      },
      primaryKey: ['patient_id', 'parameter', 'event_id'],
      indexes: [['parameter'], ['site_id']],
    },
    {
      name: ANALYSIS_TABLES.statuses,
      columns: {
        patient_id: 'text',
        event_id: 'text',
        entry_order: 'integer',
        site_id: { type: 'text', nullable: true },
        date: 'date',
        visit: 'text',
        ...treatment,
        status: 'text',
      },
      primaryKey: ['patient_id', 'event_id'],
    },
    {
      name: ANALYSIS_TABLES.infusions,
      columns: {
        patient_id: 'text',
        event_id: 'text',
        site_id: { type: 'text', nullable: true },
        date: 'date',
        cycle: 'integer',
        infusion_in_cycle: 'integer',
        dose_level: 'double',
      },
      primaryKey: ['patient_id', 'event_id'],
    },
    {
      name: ANALYSIS_TABLES.adverseEvents,
      columns: {
        patient_id: 'text',
        event_id: 'text',
        site_id: { type: 'text', nullable: true },
        date: 'date',
        visit: 'text',
        ...treatment,
        term: 'text',
        serious: 'boolean',
        grade: 'integer',
        relatedness: 'text',
        outcome: { type: 'text', nullable: true },
      },
      primaryKey: ['patient_id', 'event_id'],
    },
  ],
  handlers,
  prefetch,
});
