import { isDeepStrictEqual } from 'node:util';
import {
  defineProjection,
  entryOf,
  type PartitionRef,
  type ProjectionHandler,
  type ProjectionHandlers,
  type RowAccess,
  type RowRef,
  type CarriedStreams,
} from '@trialstream/projections';
import {
  amendmentOf,
  conversionOf,
  isAmendableEventType,
  labConversionsBeforeVersions,
  labConversionsOf,
  trialKeyOfStream,
  type EventEnvelope,
  type LabAnalyte,
  type LabConversions,
  type ProtocolActivated,
  type StreamEntry,
} from '@trialstream/domain';
import {
  ANALYSED_EVENT_TYPES,
  AnalysisSource,
  SourceFold,
  patientIdOfStream,
  sourceEntries,
  sourceHeaderOf,
  sourceOfRows,
  type SourceEntryRow,
  type SourceHeaderRow,
} from './analysis-source';
import {
  EntryReadings,
  PatientDerivation,
  patientDerivationOf,
  sameRecord,
  sameSeriesInputs,
  SeriesInputs,
  unconvertedLabUnits,
} from './analysis-rows';

export const ANALYSIS_SCHEMA = 'analysis';

export const ANALYSIS_TABLES = {
  sources: 'patient_sources',
  entries: 'patient_entries',
  patients: 'patients',
  observations: 'observations',
  statuses: 'global_statuses',
  infusions: 'infusions',
  adverseEvents: 'adverse_events',
  labUnits: 'lab_units',
} as const;

type DerivedTable = Exclude<keyof typeof ANALYSIS_TABLES, 'sources' | 'entries' | 'labUnits'>;
/** The derived tables written whole per patient; observations are written per series. */
type PatientTable = Exclude<DerivedTable, 'observations'>;
const PATIENT_TABLES: readonly PatientTable[] = ['patients', 'statuses', 'infusions', 'adverseEvents'];

/** Rows by the text of their key. */
type KeyedRows = Map<string, { key: Record<string, unknown>; row: Record<string, unknown> }>;

/** One series' rows as written, with what they were derived from: kept as it is while those do not move. */
interface WrittenSeries {
  inputs: SeriesInputs;
  rows: KeyedRows;
}

/** A patient's derived rows as written: per table, each row by the text of its key; observations per series. */
type WrittenRows = Record<PatientTable, KeyedRows> & { observations: Map<string, WrittenSeries> };

const byKey = <R extends Record<string, unknown>>(rows: readonly R[], keyOf: (row: R) => Record<string, unknown>): KeyedRows =>
  new Map(
    rows.map((row) => {
      const key = keyOf(row);
      return [Object.values(key).join('\u0000'), { key, row }];
    }),
  );

/**
 * Each derived table's rows of one patient, keyed. The patient's row carries the stream version the rows
 * were derived at, which tells a reader holding them whether they moved. A series whose inputs are those of
 * `previous` keeps its written rows (the same object), without deriving them again.
 */
const writtenRowsOf = (derivation: PatientDerivation, streamVersion: number | null, previous?: WrittenRows): WrittenRows => ({
  patients: byKey([{ ...derivation.patient, stream_version: streamVersion }], (row) => ({ patient_id: row.patient_id })),
  observations: new Map(
    derivation.series.map(({ key, inputs, rows }): [string, WrittenSeries] => {
      const kept = previous?.observations.get(key);
      if (kept && sameSeriesInputs(kept.inputs, inputs)) return [key, kept];
      return [
        key,
        { inputs, rows: byKey(rows(), (row) => ({ patient_id: row.patient_id, parameter: row.parameter, event_id: row.event_id })) },
      ];
    }),
  ),
  statuses: byKey(derivation.statuses, (row) => ({ patient_id: row.patient_id, event_id: row.event_id })),
  infusions: byKey(derivation.infusions, (row) => ({ patient_id: row.patient_id, event_id: row.event_id })),
  adverseEvents: byKey(derivation.adverseEvents, (row) => ({ patient_id: row.patient_id, event_id: row.event_id })),
});

/**
 * A trial's lab unit conversions as this read model has seen them: the union of its protocol versions'
 * (ProtocolActivated on its trial stream), and the patients waiting for a unit none of them converted
 * yet. Streams are not ordered against each other (Kafka partitions), so a result may arrive before the
 * amendment that accepted its unit: it waits, and the amendment derives that patient's rows again.
 */
interface LabUnitsRow {
  /** The trial id of the stream names; '' for the default trial (names without one). */
  trial: string;
  conversions: LabConversions;
  /** `ANALYTE|unit` -> patient ids. */
  waiting: Record<string, string[]>;
}

const initialLabUnits = (trial: string): LabUnitsRow => ({
  trial,
  conversions: labConversionsBeforeVersions(trial === '' ? null : trial),
  waiting: {},
});

const labUnitsOf = async (rows: RowAccess, trial: string): Promise<LabUnitsRow> =>
  ((await rows.get(ANALYSIS_TABLES.labUnits, trial)) as LabUnitsRow | undefined) ?? initialLabUnits(trial);

/** Writes one table's rows: those `next` no longer yields are deleted, those new or changed put, the others left alone. */
const writeTable = (rows: RowAccess, table: PatientTable, earlier: KeyedRows | undefined, next: KeyedRows): void => {
  if (earlier) for (const [id, { key }] of earlier) if (!next.has(id)) rows.delete(ANALYSIS_TABLES[table], key);
  // most events change few rows (one new value, one series): unchanged rows are not written again
  for (const [id, { row }] of next) {
    const before = earlier?.get(id)?.row;
    if (!before || !sameRecord(before, row)) rows.put(ANALYSIS_TABLES[table], row);
  }
};

/**
 * Writes the observation rows of the series derived again, series by series: a series kept as it was writes
 * nothing. A row that left its series for another (a count corrected to another unit) is compared with its row
 * there, not deleted.
 */
const writeObservations = (rows: RowAccess, previous: WrittenRows | undefined, next: WrittenRows): void => {
  const left: KeyedRows = new Map();
  for (const [key, series] of previous?.observations ?? []) {
    const now = next.observations.get(key);
    if (now !== series) for (const [id, row] of series.rows) if (!now?.rows.has(id)) left.set(id, row);
  }
  for (const [key, series] of next.observations) {
    const before = previous?.observations.get(key);
    if (before === series) continue;
    for (const [id, { row }] of series.rows) {
      const earlier = before?.rows.get(id) ?? left.get(id);
      left.delete(id);
      if (!earlier || !sameRecord(earlier.row, row)) rows.put(ANALYSIS_TABLES.observations, row);
    }
  }
  for (const { key } of left.values()) rows.delete(ANALYSIS_TABLES.observations, key);
};

/**
 * Writes a patient's rows as derived afresh: a correction of the first infusion moves every baseline,
 * visit and cycle, so nothing derived is patched in place. Rows the new derivation no longer yields (a
 * voided entry) are deleted: they are exactly those the old one yielded and the new one does not.
 */
const writeDerived = (rows: RowAccess, previous: WrittenRows | undefined, next: WrittenRows): void => {
  for (const table of PATIENT_TABLES) writeTable(rows, table, previous?.[table], next[table]);
  writeObservations(rows, previous, next);
};

/** The patient's source as stored: its header row and its entry rows (by event id). */
interface StoredSource {
  header: SourceHeaderRow;
  entries: Map<string, SourceEntryRow>;
  source: AnalysisSource;
}

const storedSourceOf = async (rows: RowAccess, patientId: string): Promise<StoredSource | undefined> => {
  const header = (await rows.get(ANALYSIS_TABLES.sources, patientId)) as SourceHeaderRow | undefined;
  if (!header) return undefined;
  const entries = (await rows.list(ANALYSIS_TABLES.entries, patientId)) as SourceEntryRow[];
  return { header, entries: new Map(entries.map((row) => [row.event_id, row])), source: sourceOfRows(header, entries) };
};

/** The entries an event writes: its own, and the one it amends. */
const entriesWrittenBy = (event: EventEnvelope): string[] => [...new Set([event.eventId, amendmentOf(event)?.eventId ?? event.eventId])];

/**
 * Writes what the event changed of the source: the header when the patient's place in the trial moved,
 * the event's own entry, and the entry it amends (`before`: those entries as they were before the event).
 * Unchanged entries are left alone, so an event's write does not grow with the patient's history. Answers
 * the source as now stored, its entry rows in the batch's own map.
 */
const writeSource = (
  rows: RowAccess,
  stored: StoredSource | undefined,
  after: AnalysisSource,
  event: EventEnvelope,
  before: ReadonlyMap<string, StreamEntry | undefined>,
): StoredSource => {
  const header = sourceHeaderOf(after);
  if (!stored || !isDeepStrictEqual(header, stored.header)) rows.put(ANALYSIS_TABLES.sources, header);
  const entries = stored?.entries ?? new Map<string, SourceEntryRow>();
  for (const [eventId, earlier] of before) {
    const entry = after.patient.entries[eventId];
    const version = eventId === event.eventId ? event.streamVersion : entries.get(eventId)?.stream_version;
    if (!entry || version === undefined || !isAmendableEventType(entry.type)) continue;
    if (entry === earlier) continue;
    const row: SourceEntryRow = {
      patient_id: after.patientId,
      stream_version: version,
      event_id: eventId,
      type: entry.type,
      occurred_at: entry.occurredAt,
      data: entry.data,
      voided: entry.voided,
    };
    rows.put(ANALYSIS_TABLES.entries, row);
    entries.set(eventId, row);
  }
  return { header, entries, source: after };
};

/**
 * What a batch holds of a patient: its source as now stored, its derived rows as last written (before the
 * batch: derived from the stored source; none for a new patient), and, when the batch's events moved the
 * source since, the stream version its rows are owed at. The fold of the source stays open from batch to batch
 * while the patient is carried: the batch folds and writes into what it was offered, in place, which the runner
 * forgets should the batch fail, so a patient's next event copies nothing of its history.
 */
interface WrittenPatient {
  streamId: string;
  trial: string;
  fold: SourceFold;
  /** What the patient's derivations read of its entries, for the next one. */
  readings: EntryReadings;
  stored: StoredSource | undefined;
  derived: WrittenRows | undefined;
  owedAt: number | undefined;
}

/**
 * Per batch (its RowAccess), the patients its events touched. A patient's rows are derived once per batch,
 * after its last event of the batch (`deriveOwedRows`), not once per event: a replayed log brings a
 * patient's events one after another, so catch-up derives a patient's rows once for its whole history
 * instead of once per event. A batch that fails is retried with another RowAccess, so nothing outlives
 * the rows it describes.
 */
const touchedInBatch = new WeakMap<RowAccess, Map<string, WrittenPatient>>();

const touchedPatients = (rows: RowAccess): Map<string, WrittenPatient> =>
  entryOf(touchedInBatch, rows, () => new Map<string, WrittenPatient>());

/** The patient as its rows hold it, when no batch of this runner carried it over. */
async function writtenPatientOf(rows: RowAccess, event: EventEnvelope, units: LabUnitsRow): Promise<WrittenPatient> {
  const { streamId } = event;
  const stored = await storedSourceOf(rows, patientIdOfStream(streamId));
  // rows derived before this batch: their version is not read, and it is not this event's, so the patient's row is written
  const readings = new EntryReadings();
  const derived = stored && writtenRowsOf(patientDerivationOf(stored.source, units.conversions, readings), null);
  const fold = new SourceFold(stored?.source, event);
  return { streamId, trial: trialKeyOfStream(streamId), fold, readings, stored, derived, owedAt: undefined };
}

/** Folds the event into the patient's source; its rows are derived at the end of the batch. */
const applyPatientEvent: ProjectionHandler = async (event, rows: RowAccess) => {
  const patientId = patientIdOfStream(event.streamId);
  const trial = trialKeyOfStream(event.streamId);
  const touched = touchedPatients(rows);
  const units = await labUnitsOf(rows, trial);
  let patient = touched.get(patientId);
  if (!patient) {
    patient = (rows.carried(event.streamId) as WrittenPatient | undefined) ?? (await writtenPatientOf(rows, event, units));
    touched.set(patientId, patient);
  }
  const fold = patient.fold;
  const written = entriesWrittenBy(event);
  const before = new Map(written.map((eventId) => [eventId, fold.source.patient.entries[eventId]]));
  fold.add(event);
  const after = fold.source;
  patient.stored = writeSource(rows, patient.stored, after, event, before);
  patient.owedAt = event.streamVersion;
  // Which units wait is decided per event, so that it does not depend on where a batch ends. Only the entries this event
  // wrote can bring a unit: the others' were looked at when they were written, and conversions only ever grow.
  const unconverted = unconvertedLabUnits(sourceEntries(after, written), units.conversions).filter(
    (unit) => !units.waiting[unit]?.includes(patientId),
  );
  if (unconverted.length > 0) {
    const waiting = { ...units.waiting };
    for (const unit of unconverted) waiting[unit] = [...(waiting[unit] ?? []), patientId].sort();
    rows.put(ANALYSIS_TABLES.labUnits, { ...units, waiting });
  }
};

/** Derives and writes the rows of the batch's patients whose source moved since their rows were last written. */
const deriveOwedRows = async (rows: RowAccess): Promise<void> => {
  for (const patient of touchedPatients(rows).values()) {
    if (patient.owedAt === undefined || !patient.stored) continue;
    const units = await labUnitsOf(rows, patient.trial);
    const derivation = patientDerivationOf(patient.stored.source, units.conversions, patient.readings);
    const derived = writtenRowsOf(derivation, patient.owedAt, patient.derived);
    writeDerived(rows, patient.derived, derived);
    patient.derived = derived;
    patient.owedAt = undefined;
    // the next batch of this patient goes on from here instead of reading and deriving the rows again
    rows.carry(patient.streamId, patient);
  }
};

/** A protocol version adds its units; patients waiting for one of them get their rows derived again. */
const applyProtocolVersion: ProjectionHandler<ProtocolActivated> = async (event, rows) => {
  const units = await labUnitsOf(rows, trialKeyOfStream(event.streamId));
  const conversions = labConversionsOf([{ unitConversions: units.conversions }, event.data.definition]);
  const waiting: Record<string, string[]> = {};
  const ready = new Set<string>();
  for (const [unit, patients] of Object.entries(units.waiting)) {
    const [analyte, name] = unit.split('|') as [LabAnalyte, string];
    if (conversionOf(conversions, analyte, name)) patients.forEach((patient) => ready.add(patient));
    else waiting[unit] = patients;
  }
  // the batch's patients so far are derived by the old conversions, as they would be in a batch of their own;
  // their next events read what is stored
  await deriveOwedRows(rows);
  touchedPatients(rows).clear();
  // rows of waiting patients change below, and every patient's were derived with the conversions before this version
  rows.forgetCarried();
  for (const patientId of [...ready].sort()) {
    const stored = await storedSourceOf(rows, patientId);
    const derived = (await rows.get(ANALYSIS_TABLES.patients, patientId)) as { stream_version: number } | undefined;
    if (stored && derived) {
      const version = derived.stream_version;
      writeDerived(
        rows,
        writtenRowsOf(patientDerivationOf(stored.source, units.conversions), version),
        writtenRowsOf(patientDerivationOf(stored.source, conversions), version),
      );
    }
  }
  rows.put(ANALYSIS_TABLES.labUnits, { trial: units.trial, conversions, waiting });
};

const handlers: ProjectionHandlers = {
  ...Object.fromEntries(ANALYSED_EVENT_TYPES.map((type) => [type, applyPatientEvent])),
  ProtocolActivated: applyProtocolVersion,
};

const prefetch = (event: EventEnvelope, carried: CarriedStreams): Array<RowRef | PartitionRef> => {
  const labUnits = { table: ANALYSIS_TABLES.labUnits, key: trialKeyOfStream(event.streamId) };
  if (event.type === 'ProtocolActivated') return [labUnits];
  if (!(ANALYSED_EVENT_TYPES as readonly string[]).includes(event.type)) return [];
  if (carried.has(event.streamId)) return [labUnits];
  const patientId = patientIdOfStream(event.streamId);
  return [{ table: ANALYSIS_TABLES.sources, key: patientId }, { table: ANALYSIS_TABLES.entries, partition: patientId }, labUnits];
};

const bySubject = ['patient_id'];
const treatment = { cycle: 'integer', dose_level: { type: 'double', nullable: true } } as const;

/**
 * The blinded analysis read model: per patient and date, every analysed parameter in canonical units
 * with its baseline, change and nadir, the treatment cycle and dose level, and the patient's adverse
 * events. Every row is one patient's, folded from that patient's stream alone, so it does not depend
 * on how streams interleave. It holds kit numbers but never an arm: arms stay in the `allocation`
 * schema and are joined at query time, for unblinded readers only.
 */
export const ANALYSIS_PROJECTION = defineProjection({
  name: 'analysis',
  // 2: lab units converted by the protocol versions of the log (lab_units)
  // 3: the patient's source is the domain's fold (`evolvePatient`)
  // 4: no visit names: the reader names visits by the protocol version in force
  // 5: the source as a header row and one row per entry (patient_entries), not one jsonb of the whole history
  // 6: patients.stream_version, so that a reader keeping records knows which moved
  version: 6,
  // The analysis of the unblinded side reads B-cell counts: it holds the field keys.
  readsMaskedValues: true,
  schema: ANALYSIS_SCHEMA,
  tables: [
    {
      name: ANALYSIS_TABLES.sources,
      columns: {
        patient_id: 'text',
        patient: 'jsonb',
        stratum: { type: 'text', nullable: true },
        code_broken_on: { type: 'date', nullable: true },
      },
      primaryKey: bySubject,
    },
    {
      name: ANALYSIS_TABLES.entries,
      columns: {
        patient_id: 'text',
        stream_version: 'integer',
        event_id: 'text',
        type: 'text',
        // text, not timestamptz: the offset of a clinical time is the site's date
        occurred_at: 'text',
        data: 'jsonb',
        voided: 'boolean',
      },
      primaryKey: ['patient_id', 'stream_version'],
    },
    { name: ANALYSIS_TABLES.labUnits, columns: { trial: 'text', conversions: 'jsonb', waiting: 'jsonb' }, primaryKey: ['trial'] },
    {
      name: ANALYSIS_TABLES.patients,
      columns: {
        patient_id: 'text',
        // the patient's stream version the rows were derived at
        stream_version: 'integer',
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
  completeBatch: deriveOwedRows,
});
