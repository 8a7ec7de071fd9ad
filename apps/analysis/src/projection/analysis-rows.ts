import {
  AdverseEventReported,
  afterTreatmentStart,
  analysisRowsOf,
  byDate,
  ClinicalAssessed,
  ConductionMeasure,
  conversionOf,
  conductionParameter,
  DatedObservation,
  GlobalStatus,
  incatTotal,
  InfusionDay,
  InfusionGiven,
  LabConversions,
  LabResulted,
  nadir,
  NerveStudy,
  NeurographyRecorded,
  ParameterCode,
  Qualifier,
  toCanonicalLabValue,
  treatmentContexts,
} from '@trialstream/domain';
import { entryOf } from '@trialstream/projections';
import { AnalysisSource, dateOf as calendarDateOf, SourceEntry, sourceEntries } from './analysis-source';

/**
 * Row shapes of the analysis read model (schema `analysis`); dates are calendar dates. Rows hold what no
 * protocol changes (dates, the anchors visits count from, treatment cycles, values): the reader names the
 * visits by the protocol version in force (withVisitsNamed), so no schedule is written into the rows.
 */
export type AnalysisPatientRow = {
  patient_id: string;
  site_id: string | null;
  status: string;
  stratum: string | null;
  kit_number: string | null;
  randomized_on: string | null;
  first_infusion_on: string | null;
  withdrawn_on: string | null;
  code_broken_on: string | null;
  /** Highest treatment cycle given (0: untreated). */
  cycles: number;
  /** Distinct dose levels given (mg/m²), ascending. */
  dose_levels: number[];
};

export type ObservationRow = {
  patient_id: string;
  parameter: string;
  event_id: string;
  /** Position of the entry in the patient's stream: same-day values are ordered by it (the later recorded counts as later). */
  entry_order: number;
  site_id: string | null;
  date: string;
  cycle: number;
  dose_level: number | null;
  value: number;
  qualifier: Qualifier;
  unit: string;
  is_baseline: boolean;
  /** The lowest value after the first infusion day. */
  is_nadir: boolean;
  baseline_value: number | null;
  baseline_qualifier: Qualifier | null;
  change: number | null;
  percent_change: number | null;
  percent_of_baseline: number | null;
  change_censored: boolean;
};

export type StatusRow = {
  patient_id: string;
  event_id: string;
  entry_order: number;
  site_id: string | null;
  date: string;
  cycle: number;
  dose_level: number | null;
  status: GlobalStatus;
};

export type InfusionRow = {
  patient_id: string;
  event_id: string;
  site_id: string | null;
  date: string;
  cycle: number;
  infusion_in_cycle: number;
  dose_level: number;
};

export type AdverseEventRow = {
  patient_id: string;
  event_id: string;
  site_id: string | null;
  date: string;
  cycle: number;
  dose_level: number | null;
  term: string;
  serious: boolean;
  grade: number;
  relatedness: string;
  outcome: string | null;
};

export interface PatientRows {
  patient: AnalysisPatientRow;
  observations: ObservationRow[];
  statuses: StatusRow[];
  infusions: InfusionRow[];
  adverseEvents: AdverseEventRow[];
}

/** An observation that remembers the entry it came from. */
type SourcedObservation = DatedObservation & { eventId: string; entryOrder: number };

/** Measured values of one entry (measurementsOf), each with its series. */
type Measurement = { parameter: ParameterCode; value: number; qualifier: Qualifier; unit?: string };

/** An entry's observations, each with its series' key. */
type PlacedObservations = Array<{ key: string; measurement: Measurement; observation: SourcedObservation }>;

/** What is derived of one entry and kept with it: its observations, and its row among the statuses or adverse events. */
interface EntryDerivations {
  observations: PlacedObservations;
  status: StatusRow | null;
  adverseEvent: AdverseEventRow;
}

/** What derivations of a patient read of one of its entries: its date, and what was derived of it and with what. */
interface EntryReading {
  /** The entry as read: a later derivation reads it again once the entry moved (corrected, voided). */
  of: SourceEntry;
  date: string;
  kept: { [K in keyof EntryDerivations]?: { made: readonly unknown[]; value: EntryDerivations[K] } };
}

/** The same entry as read before: a fold's corrected or voided entry carries a new payload object or another void. */
const sameEntry = (a: SourceEntry, b: SourceEntry): boolean =>
  a.occurredAt === b.occurredAt && a.data === b.data && a.voided === b.voided && a.type === b.type;

/**
 * What derivations of one patient read of its entries, kept by whoever derives the patient again (the projection keeps
 * it with the patient it carries from batch to batch), so that deriving the patient after each new event reads again
 * only what moved: an entry's date once, and each derivation of it while the entry and what it was made with beside
 * it (its place among the entries, the treatment on its date, the conversions, the patient's site) are the same. What
 * is kept is the same object, which the comparison of series inputs and of written rows tells at a glance.
 */
export class EntryReadings {
  private readonly byEventId = new Map<string, EntryReading>();
  private conversions: { text: string; value: LabConversions } | undefined;

  /**
   * The conversions the readings were last made with when `given` is the same set, else `given`: each batch reads them
   * afresh from their row, and a derivation kept with conversions is kept while they are the same object.
   */
  conversionsAsKept(given: LabConversions): LabConversions {
    const text = JSON.stringify(given);
    if (this.conversions?.text !== text) this.conversions = { text, value: given };
    return this.conversions.value;
  }

  dateOf(entry: SourceEntry): string {
    return this.readingOf(entry).date;
  }

  /** The entry's derivation `name`, made again only when the entry or what it was made with (`made`, item by item) moved. */
  kept<K extends keyof EntryDerivations>(
    entry: SourceEntry,
    name: K,
    made: readonly unknown[],
    make: () => EntryDerivations[K],
  ): EntryDerivations[K] {
    const kept = this.readingOf(entry).kept;
    const earlier = kept[name];
    if (earlier && earlier.made.length === made.length && earlier.made.every((item, index) => item === made[index])) return earlier.value;
    const value = make();
    kept[name] = { made, value } as EntryReading['kept'][K];
    return value;
  }

  private readingOf(entry: SourceEntry): EntryReading {
    let reading = this.byEventId.get(entry.eventId);
    if (!reading || !sameEntry(reading.of, entry)) {
      reading = { of: entry, date: calendarDateOf(entry.occurredAt), kept: {} };
      this.byEventId.set(entry.eventId, reading);
    }
    return reading;
  }
}

const active = (entries: readonly SourceEntry[], type: SourceEntry['type']) =>
  entries.filter((entry) => entry.type === type && !entry.voided);

const CONDUCTION_FIELDS: ReadonlyArray<[ConductionMeasure, keyof NerveStudy]> = [
  ['MCV', 'motorConductionVelocityMs'],
  ['DML', 'distalMotorLatencyMs'],
  ['CMAP', 'cmapAmplitudeMv'],
  ['SNAP', 'snapAmplitudeUv'],
  ['FWAVE', 'fWaveLatencyMs'],
];

/**
 * Every measured value of the entry, by parameter, in canonical units; labs name theirs, other parameters
 * have one. A lab in a unit the protocol versions seen so far do not convert is left out (unconvertedLabUnits).
 */
const measurementsOf = (entry: SourceEntry, conversions: LabConversions): Measurement[] => {
  switch (entry.type) {
    case 'LabResulted': {
      const lab = entry.data as LabResulted;
      if (!conversionOf(conversions, lab.analyte, lab.unit)) return [];
      const canonical = toCanonicalLabValue(lab.analyte, lab.value, lab.unit, conversions);
      return [{ parameter: lab.analyte, value: canonical.value, qualifier: lab.qualifier ?? '=', unit: canonical.unit }];
    }
    case 'NeurographyRecorded':
      return (entry.data as NeurographyRecorded).nerves.flatMap((study) =>
        CONDUCTION_FIELDS.flatMap(([measure, field]) => {
          const value = study[field];
          return typeof value === 'number'
            ? [{ parameter: conductionParameter(measure, study.nerve, study.side), value, qualifier: '=' as const }]
            : [];
        }),
      );
    case 'ClinicalAssessed': {
      const assessment = entry.data as ClinicalAssessed;
      const scores: Array<[ParameterCode, number | undefined]> = [
        ['INCAT_TOTAL', incatTotal(assessment)],
        ['INCAT_LEGS', assessment.incatLegs],
        ['SENSORY_SUM', assessment.sensorySumScore],
        ['MRC_SUM', assessment.mrcSumScore],
        ['WALK_10M', assessment.tenMetreWalkSeconds],
      ];
      return scores.flatMap(([parameter, value]) => (value === undefined ? [] : [{ parameter, value, qualifier: '=' as const }]));
    }
    default:
      return [];
  }
};

const infusionDaysOf = (entries: readonly SourceEntry[], readings: EntryReadings): InfusionDays =>
  active(entries, 'InfusionGiven').map((entry) => {
    const infusion = entry.data as InfusionGiven;
    return {
      eventId: entry.eventId,
      date: readings.dateOf(entry),
      cycle: infusion.cycle,
      infusionInCycle: infusion.infusionInCycle,
      doseLevelMgPerM2: infusion.doseLevelMgPerM2,
    };
  });

/**
 * Series are kept apart per unit as well as per parameter: a B-cell count in % of lymphocytes cannot
 * be compared with one in cells/µL, and no conversion exists without a lymphocyte count.
 */
const seriesKey = (parameter: ParameterCode, unit: string | undefined) => `${parameter}\u0000${unit ?? ''}`;

/** One patient's source as every row builder reads it. */
interface PatientFacts {
  patientId: string;
  siteId: string | null;
  /** Clinical entries in stream order, each as it stands now. */
  entries: SourceEntry[];
  infusions: InfusionDays;
  firstInfusionDate: string | undefined;
  /** The protocol's lab unit conversions as the read model has seen them. */
  conversions: LabConversions;
  readings: EntryReadings;
  /** The cycle and dose level on a date, each date looked up once: a visit's entries share theirs. */
  treatmentAt(date: string): { cycle: number; dose_level: number | null };
}

type InfusionDays = Array<InfusionDay & { eventId: string; infusionInCycle: number }>;

const factsOf = (source: AnalysisSource, given: LabConversions, readings: EntryReadings): PatientFacts => {
  const conversions = readings.conversionsAsKept(given);
  const entries = sourceEntries(source);
  const infusions = infusionDaysOf(entries, readings);
  const firstInfusionDate = byDate(infusions)[0]?.date;
  const contextOn = treatmentContexts(infusions);
  const byDay = new Map<string, { cycle: number; dose_level: number | null }>();
  const treatmentAt = (date: string) =>
    entryOf(byDay, date, () => {
      const treatment = contextOn(date);
      return { cycle: treatment.cycle, dose_level: treatment.doseLevelMgPerM2 ?? null };
    });
  const { patientId, patient } = source;
  return { patientId, siteId: patient.siteId, entries, infusions, firstInfusionDate, conversions, readings, treatmentAt };
};

export type Series = { parameter: ParameterCode; unit?: string; observations: SourcedObservation[] };

/** The entry's observations at its place among the entries and in the treatment. */
const placedObservationsOf = (facts: PatientFacts, entry: SourceEntry, entryOrder: number): PlacedObservations => {
  const date = facts.readings.dateOf(entry);
  const { cycle, dose_level: doseLevel } = facts.treatmentAt(date);
  return facts.readings.kept(entry, 'observations', [facts.conversions, entryOrder, cycle, doseLevel], () =>
    measurementsOf(entry, facts.conversions).map((measurement) => ({
      key: seriesKey(measurement.parameter, measurement.unit),
      measurement,
      observation: {
        eventId: entry.eventId,
        entryOrder,
        date,
        cycle,
        ...(doseLevel === null ? {} : { doseLevelMgPerM2: doseLevel }),
        value: measurement.value,
        qualifier: measurement.qualifier,
      },
    })),
  );
};

/** Every measured value of the patient's current entries, grouped into series by parameter and unit. */
const seriesOf = (facts: PatientFacts): Series[] => {
  const series = new Map<string, Series>();
  // indexed loops: this runs over the patient's whole history for each new event
  for (let entryOrder = 0; entryOrder < facts.entries.length; entryOrder++) {
    const entry = facts.entries[entryOrder];
    if (entry.voided) continue;
    const placed = placedObservationsOf(facts, entry, entryOrder);
    for (let index = 0; index < placed.length; index++) {
      const { key, measurement, observation } = placed[index];
      let group = series.get(key);
      if (!group) series.set(key, (group = { parameter: measurement.parameter, unit: measurement.unit, observations: [] }));
      group.observations.push(observation);
    }
  }
  return [...series.values()];
};

/** One series' rows: each value with its baseline, change from it, and whether it is the nadir after treatment began. */
const seriesRows = (facts: PatientFacts, { parameter, unit, observations }: Series): ObservationRow[] => {
  const { firstInfusionDate } = facts;
  const low = firstInfusionDate === undefined ? undefined : nadir(afterTreatmentStart(observations, firstInfusionDate));
  return analysisRowsOf<SourcedObservation>({ subjectId: facts.patientId, firstInfusionDate, series: { [parameter]: observations } }).map(
    (row): ObservationRow => ({
      patient_id: facts.patientId,
      parameter,
      event_id: row.eventId,
      entry_order: row.entryOrder,
      site_id: facts.siteId,
      date: row.date,
      cycle: row.cycle,
      dose_level: row.doseLevelMgPerM2 ?? null,
      value: row.value,
      qualifier: row.qualifier,
      unit: unit ?? row.unit,
      is_baseline: row.isBaseline,
      is_nadir: low?.eventId === row.eventId,
      baseline_value: row.baselineValue ?? null,
      baseline_qualifier: row.baselineQualifier ?? null,
      change: row.change ?? null,
      percent_change: row.percentChange ?? null,
      percent_of_baseline: row.percentOfBaseline ?? null,
      change_censored: row.changeCensored,
    }),
  );
};

const statusRows = (facts: PatientFacts): StatusRow[] =>
  facts.entries.flatMap((entry, entryOrder): StatusRow[] => {
    if (entry.type !== 'ClinicalAssessed' || entry.voided) return [];
    const date = facts.readings.dateOf(entry);
    const treatment = facts.treatmentAt(date);
    const row = facts.readings.kept(
      entry,
      'status',
      [facts.patientId, facts.siteId, entryOrder, treatment.cycle, treatment.dose_level],
      () => {
        const status = (entry.data as ClinicalAssessed).globalStatus;
        if (status === undefined) return null;
        return {
          patient_id: facts.patientId,
          event_id: entry.eventId,
          entry_order: entryOrder,
          site_id: facts.siteId,
          date,
          ...treatment,
          status,
        };
      },
    );
    return row ? [row] : [];
  });

const adverseEventRows = (facts: PatientFacts): AdverseEventRow[] =>
  active(facts.entries, 'AdverseEventReported').map((entry): AdverseEventRow => {
    const date = facts.readings.dateOf(entry);
    const treatment = facts.treatmentAt(date);
    return facts.readings.kept(entry, 'adverseEvent', [facts.patientId, facts.siteId, treatment.cycle, treatment.dose_level], () => {
      const event = entry.data as AdverseEventReported;
      return {
        patient_id: facts.patientId,
        event_id: entry.eventId,
        site_id: facts.siteId,
        date,
        ...treatment,
        term: event.term,
        serious: event.serious,
        grade: event.grade,
        relatedness: event.relatedness,
        outcome: event.outcome ?? null,
      };
    });
  });

const infusionRows = (facts: PatientFacts): InfusionRow[] =>
  facts.infusions.map((infusion) => ({
    patient_id: facts.patientId,
    event_id: infusion.eventId,
    site_id: facts.siteId,
    date: infusion.date,
    cycle: infusion.cycle,
    infusion_in_cycle: infusion.infusionInCycle,
    dose_level: infusion.doseLevelMgPerM2,
  }));

const calendarDateOrNull = (occurredAt: string | null): string | null => (occurredAt === null ? null : calendarDateOf(occurredAt));

/** The patient's place in the trial and the treatment received. */
const patientRow = (source: AnalysisSource, facts: PatientFacts): AnalysisPatientRow => ({
  patient_id: facts.patientId,
  site_id: facts.siteId,
  status: source.patient.status,
  stratum: source.stratum,
  kit_number: source.patient.kitNumber,
  randomized_on: calendarDateOrNull(source.patient.randomizedAt),
  first_infusion_on: facts.firstInfusionDate ?? null,
  withdrawn_on: calendarDateOrNull(source.patient.withdrawnAt),
  code_broken_on: source.codeBrokenOn,
  cycles: facts.infusions.reduce((highest, infusion) => Math.max(highest, infusion.cycle), 0),
  dose_levels: [...new Set(facts.infusions.map((infusion) => infusion.doseLevelMgPerM2))].sort((a, b) => a - b),
});

/** `ANALYTE|unit` of each active lab result among `entries` whose unit the conversions do not know (yet). */
export const unconvertedLabUnits = (entries: readonly SourceEntry[], conversions: LabConversions): string[] => [
  ...new Set(
    active(entries, 'LabResulted')
      .map((entry) => entry.data as LabResulted)
      .filter((lab) => !conversionOf(conversions, lab.analyte, lab.unit))
      .map((lab) => `${lab.analyte}|${lab.unit}`),
  ),
];

/** Rows and observations hold numbers, text, booleans, null and arrays of numbers (dose levels). */
const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => item === b[index]));

/** Two rows (or observations) with the same fields and the same values. */
export const sameRecord = (a: object, b: object): boolean => {
  // kept rows and observations are the same objects (EntryReadings)
  if (a === b) return true;
  const names = Object.keys(a);
  return (
    names.length === Object.keys(b).length &&
    names.every((name) => sameValue((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name]))
  );
};

/** Everything a series' rows are derived from: the patient's facts they read, and the series' values. */
export interface SeriesInputs {
  patientId: string;
  siteId: string | null;
  firstInfusionDate: string | undefined;
  series: Series;
}

/** Whether two series' rows come out the same: the same facts, and the same values at the same places in the same order. */
export const sameSeriesInputs = (a: SeriesInputs, b: SeriesInputs): boolean =>
  a.patientId === b.patientId &&
  a.siteId === b.siteId &&
  a.firstInfusionDate === b.firstInfusionDate &&
  a.series.parameter === b.series.parameter &&
  a.series.unit === b.series.unit &&
  a.series.observations.length === b.series.observations.length &&
  a.series.observations.every((observation, index) => sameRecord(observation, b.series.observations[index]));

/** One series of the patient's values: its key among the patient's series, its inputs, and its rows when asked. */
export interface DerivedSeries {
  key: string;
  inputs: SeriesInputs;
  rows(): ObservationRow[];
}

/**
 * A patient's rows with each series' observation rows derived only when asked, so that a writer keeping the rows of
 * a series whose inputs did not move (`sameSeriesInputs`) does not derive them again: a new value moves its own
 * series' baseline, changes and nadir, and nothing of the others.
 */
export type PatientDerivation = Omit<PatientRows, 'observations'> & { series: DerivedSeries[] };

/**
 * Everything the analysis shows of one patient, derived from the patient's source and the protocol's
 * unit conversions alone: the same source always gives the same rows, whichever order other
 * patients' events arrived in. `readings`, given again with the patient's next source, spare reading again what did
 * not move.
 */
export const patientDerivationOf = (
  source: AnalysisSource,
  conversions: LabConversions,
  readings: EntryReadings = new EntryReadings(),
): PatientDerivation => {
  const facts = factsOf(source, conversions, readings);
  const { patientId, siteId, firstInfusionDate } = facts;
  return {
    patient: patientRow(source, facts),
    series: seriesOf(facts).map((series) => ({
      key: seriesKey(series.parameter, series.unit),
      inputs: { patientId, siteId, firstInfusionDate, series },
      rows: () => seriesRows(facts, series),
    })),
    statuses: statusRows(facts),
    infusions: infusionRows(facts),
    adverseEvents: adverseEventRows(facts),
  };
};
