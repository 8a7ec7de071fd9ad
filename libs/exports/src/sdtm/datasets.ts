import {
  AdverseEventReported,
  ClinicalAssessed,
  EventEnvelope,
  incatTotal,
  InfusionGiven,
  LabConversions,
  labConversionsBeforeVersions,
  labConversionsOf,
  LabResulted,
  NeurographyRecorded,
  PatientEnrolled,
  PatientScreenFailed,
  parseTrialStreamId,
  PatientWithdrawn,
  ProtocolActivated,
  toCanonicalLabValue,
} from '@trialstream/domain';
import { decimalString } from '../decimal';
import { ExportOptions } from '../export-options';
import { byCodePoint } from '../ordering';
import { ASSESSMENT_MEASURES, INCAT_TOTAL, LAB_TESTS, LIMB_TEMPERATURE, NERVE_MEASURES } from '../measures';
import { buildTrialRecord, currentVersion, EntryHistory, TrialRecord, visibleRecord } from '../trial-record';
import { DISPOSITION, LATERALITY, NERVE_LOCATIONS, OUTCOME_TERMS, RELATEDNESS_TERMS, SEX_TERMS, yesNo } from './terminology';

export type SdtmValue = string | number | null;
export type SdtmRow = Record<string, SdtmValue>;

/** One SDTM-shaped dataset: its variables in order, and one row per record with every variable present. */
export interface SdtmDataset {
  columns: string[];
  rows: SdtmRow[];
}

export interface SdtmDatasets {
  DM: SdtmDataset;
  EX: SdtmDataset;
  LB: SdtmDataset;
  NV: SdtmDataset;
  QS: SdtmDataset;
  AE: SdtmDataset;
  DS: SdtmDataset;
  /** Comments: one record per correction, with the original and the corrected value and the reason. */
  CO: SdtmDataset;
}

export type SdtmDomain = keyof SdtmDatasets;

/** The datasets the platform produces, in the order a define file lists them. */
export const SDTM_DOMAINS: readonly SdtmDomain[] = ['DM', 'EX', 'LB', 'NV', 'QS', 'AE', 'DS', 'CO'];

export const isSdtmDomain = (value: string): value is SdtmDomain => (SDTM_DOMAINS as readonly string[]).includes(value);

/** What a blinded kit holds, as EX names it until the trial is unblinded. */
const BLINDED_TREATMENT = 'BLINDED STUDY TREATMENT';

/** EXTRT: the arm's treatment once the export carries the allocation (after unblinding), the blinded name before. */
const treatmentOf = (patientId: string, options: ExportOptions): string => {
  const arm = !options.blinded ? options.allocation?.[patientId] : undefined;
  return arm ? arm.toUpperCase() : BLINDED_TREATMENT;
};

const IDENTIFIERS = ['STUDYID', 'DOMAIN', 'USUBJID'];
const findings = (prefix: string, qualifiers: readonly string[], timing: readonly string[]): string[] => [
  ...IDENTIFIERS,
  `${prefix}SEQ`,
  ...qualifiers,
  `${prefix}ORRES`,
  `${prefix}ORRESU`,
  `${prefix}STRESC`,
  `${prefix}STRESN`,
  `${prefix}STRESU`,
  ...timing,
];

/**
 * Variables of each dataset. Non-standard variables (SUPPxx candidates in a submission):
 * EX: EXCYCLE (cycle), EXCYINF (infusion within the cycle), EXDOSLVL (dose level, mg/m²),
 * EXPLDOSE (planned dose, mg), EXBSA (body-surface area, m²).
 */
const COLUMNS: Readonly<Record<Exclude<SdtmDomain, 'DM' | 'CO'>, readonly string[]>> = {
  EX: [
    ...IDENTIFIERS,
    'EXSEQ',
    'EXTRT',
    'EXDOSE',
    'EXDOSU',
    'EXDOSFRQ',
    'EXROUTE',
    'EXSTDTC',
    'VISIT',
    'EXCYCLE',
    'EXCYINF',
    'EXDOSLVL',
    'EXPLDOSE',
    'EXBSA',
  ],
  LB: findings('LB', ['LBTESTCD', 'LBTEST', 'LBSPEC', 'LBREFID'], ['LBDTC', 'VISIT']),
  NV: findings('NV', ['NVTESTCD', 'NVTEST', 'NVLOC', 'NVLAT'], ['NVDTC', 'VISIT']),
  QS: findings('QS', ['QSCAT', 'QSTESTCD', 'QSTEST'], ['QSDRVFL', 'QSEVALID', 'QSDTC', 'VISIT']),
  AE: [...IDENTIFIERS, 'AESEQ', 'AETERM', 'AESER', 'AETOXGR', 'AEREL', 'AEOUT', 'AESTDTC', 'VISIT'],
  DS: [...IDENTIFIERS, 'DSSEQ', 'DSTERM', 'DSDECOD', 'DSCAT', 'DSSTDTC', 'VISIT'],
};

const DM_COLUMNS = [...IDENTIFIERS, 'SUBJID', 'RFSTDTC', 'RFICDTC', 'SITEID', 'BRTHDTC', 'SEX', 'COUNTRY', 'DMDTC'];
const ARM_COLUMNS = ['ARM', 'ACTARM'];

interface Collected {
  entry: EntryHistory;
  occurredAt: string;
  data: unknown;
}

type Rows = Array<Record<string, SdtmValue>>;

const labRows = ({ occurredAt, data }: Collected, conversions: LabConversions): Rows => {
  const lab = data as LabResulted;
  const test = LAB_TESTS[lab.analyte];
  const censored = lab.qualifier !== '=';
  const qualifier = censored ? lab.qualifier : '';
  let standard: { value: number; unit: string } | null = null;
  try {
    standard = toCanonicalLabValue(lab.analyte, lab.value, lab.unit, conversions);
  } catch (error) {
    // a unit no protocol version converts: the result stays as reported only
    if (!(error instanceof RangeError)) throw error;
  }
  return [
    {
      LBTESTCD: test.testCode,
      LBTEST: test.test,
      LBSPEC: test.specimen,
      LBREFID: lab.specimenId ?? null,
      LBORRES: `${qualifier}${decimalString(lab.value)}`,
      LBORRESU: lab.unit,
      LBSTRESC: standard ? `${qualifier}${decimalString(standard.value)}` : null,
      LBSTRESN: standard && !censored ? standard.value : null,
      LBSTRESU: standard?.unit ?? null,
      LBDTC: occurredAt,
    },
  ];
};

const numericResult = (prefix: string, value: number, unit: string | null): SdtmRow => ({
  [`${prefix}ORRES`]: decimalString(value),
  [`${prefix}ORRESU`]: unit,
  [`${prefix}STRESC`]: decimalString(value),
  [`${prefix}STRESN`]: value,
  [`${prefix}STRESU`]: unit,
});

const neurographyRows = ({ occurredAt, data }: Collected): Rows => {
  const study = data as NeurographyRecorded;
  const temperature = {
    NVTESTCD: LIMB_TEMPERATURE.testCode,
    NVTEST: LIMB_TEMPERATURE.test,
    NVLOC: null,
    NVLAT: null,
    ...numericResult('NV', study.limbTemperatureC, LIMB_TEMPERATURE.unit),
    NVDTC: occurredAt,
  };
  const measures = study.nerves.flatMap((nerve) =>
    NERVE_MEASURES.flatMap((measure) => {
      const value = nerve[measure.field];
      if (value === undefined) return [];
      return [
        {
          NVTESTCD: measure.testCode,
          NVTEST: measure.test,
          NVLOC: NERVE_LOCATIONS[nerve.nerve],
          NVLAT: LATERALITY[nerve.side],
          ...numericResult('NV', value, measure.unit),
          NVDTC: occurredAt,
        },
      ];
    }),
  );
  return [temperature, ...measures];
};

const assessmentRows = ({ occurredAt, data }: Collected): Rows => {
  const assessment = data as ClinicalAssessed;
  const common = { QSEVALID: assessment.assessorId, QSDTC: occurredAt };
  const collected = ASSESSMENT_MEASURES.flatMap((measure): Rows => {
    const value = assessment[measure.field];
    if (value === undefined) return [];
    const result =
      typeof value === 'number'
        ? numericResult('QS', value, measure.unit)
        : { QSORRES: value, QSORRESU: null, QSSTRESC: value.toUpperCase(), QSSTRESN: null, QSSTRESU: null };
    return [{ QSCAT: measure.category, QSTESTCD: measure.testCode, QSTEST: measure.test, ...result, QSDRVFL: null, ...common }];
  });
  const total = incatTotal(assessment);
  const derived: Rows =
    total === undefined
      ? []
      : [
          {
            QSCAT: INCAT_TOTAL.category,
            QSTESTCD: INCAT_TOTAL.testCode,
            QSTEST: INCAT_TOTAL.test,
            ...numericResult('QS', total, null),
            QSDRVFL: 'Y',
            ...common,
          },
        ];
  // the derived total sits right after the two parts it adds up
  const afterLegs = collected.findIndex((row) => row.QSTESTCD === 'INCATLEG') + 1;
  return [...collected.slice(0, afterLegs), ...derived, ...collected.slice(afterLegs)];
};

const infusionRows = ({ occurredAt, data }: Collected, treatment: string): Rows => {
  const infusion = data as InfusionGiven;
  return [
    {
      EXTRT: treatment,
      EXDOSE: infusion.administeredDoseMg,
      EXDOSU: 'mg',
      EXDOSFRQ: 'ONCE',
      EXROUTE: 'INTRAVENOUS',
      EXSTDTC: occurredAt,
      EXCYCLE: infusion.cycle,
      EXCYINF: infusion.infusionInCycle,
      EXDOSLVL: infusion.doseLevelMgPerM2,
      EXPLDOSE: infusion.plannedDoseMg,
      EXBSA: infusion.bsaM2,
    },
  ];
};

const adverseEventRows = ({ occurredAt, data }: Collected): Rows => {
  const event = data as AdverseEventReported;
  return [
    {
      AETERM: event.term,
      AESER: yesNo(event.serious),
      AETOXGR: String(event.grade),
      AEREL: RELATEDNESS_TERMS[event.relatedness],
      AEOUT: event.outcome ? OUTCOME_TERMS[event.outcome] : null,
      AESTDTC: occurredAt,
    },
  ];
};

const disposition = (term: string, kind: { category: string; decoded: string }, date: string): SdtmRow => ({
  DSTERM: term,
  DSDECOD: kind.decoded,
  DSCAT: kind.category,
  DSSTDTC: date,
});

const dispositionRows = ({ entry, occurredAt, data }: Collected): Rows => {
  switch (entry.type) {
    case 'PatientEnrolled': {
      const enrolled = data as PatientEnrolled;
      return [
        disposition(DISPOSITION.consent.decoded, DISPOSITION.consent, enrolled.consentDate),
        disposition(DISPOSITION.enrolled.decoded, DISPOSITION.enrolled, occurredAt),
      ];
    }
    case 'PatientScreenFailed': {
      const failed = data as PatientScreenFailed;
      return [
        disposition(DISPOSITION.consent.decoded, DISPOSITION.consent, failed.consentDate),
        disposition(
          `SCREEN FAILURE: ELIGIBILITY CRITERIA NOT MET (${failed.failedCriteria.join(', ')})`,
          DISPOSITION.screenFailure,
          occurredAt,
        ),
      ];
    }
    case 'PatientRandomized':
      return [disposition(DISPOSITION.randomized.decoded, DISPOSITION.randomized, occurredAt)];
    case 'PatientWithdrawn':
      return [disposition((data as PatientWithdrawn).reason, DISPOSITION.withdrawn, occurredAt)];
    default:
      return [];
  }
};

const ROWS_OF: Record<
  Exclude<SdtmDomain, 'DM' | 'CO'>,
  (collected: Collected, options: ExportOptions, conversions: LabConversions) => Rows
> = {
  EX: (collected, options) =>
    collected.entry.type === 'InfusionGiven' ? infusionRows(collected, treatmentOf(collected.entry.patientId, options)) : [],
  LB: (collected, _options, conversions) => (collected.entry.type === 'LabResulted' ? labRows(collected, conversions) : []),
  NV: (collected) => (collected.entry.type === 'NeurographyRecorded' ? neurographyRows(collected) : []),
  QS: (collected) => (collected.entry.type === 'ClinicalAssessed' ? assessmentRows(collected) : []),
  AE: (collected) => (collected.entry.type === 'AdverseEventReported' ? adverseEventRows(collected) : []),
  DS: dispositionRows,
};

/** Calendar date first: a date-time with an offset and a plain date of the same day compare by the date written. */
const byClinicalTime = (a: string, b: string): number => byCodePoint(a.slice(0, 10), b.slice(0, 10)) || byCodePoint(a, b);

/** Rows sorted by subject (collection order within one), each with every variable and its --SEQ. */
const dataset = (
  domain: SdtmDomain,
  columns: readonly string[],
  rows: ReadonlyArray<{ patientId: string; row: SdtmRow }>,
  options: ExportOptions,
): SdtmDataset => {
  const usubjid = (patientId: string): string => `${options.studyName}-${patientId}`;
  const sorted = rows
    .map((row, order) => ({ ...row, order, usubjid: usubjid(row.patientId) }))
    .sort((a, b) => byCodePoint(a.usubjid, b.usubjid) || a.order - b.order);
  const sequence = new Map<string, number>();
  return {
    columns: [...columns],
    rows: sorted.map(({ usubjid: subject, row }) => {
      const seq = (sequence.get(subject) ?? 0) + 1;
      sequence.set(subject, seq);
      const full: SdtmRow = { STUDYID: options.studyName, DOMAIN: domain, USUBJID: subject, [`${domain}SEQ`]: seq, ...row };
      return Object.fromEntries(columns.map((column) => [column, full[column] ?? null]));
    }),
  };
};

const demographics = (record: TrialRecord, collected: readonly Collected[], options: ExportOptions): SdtmDataset => {
  const allocation = !options.blinded ? options.allocation : undefined;
  const firstInfusion = new Map<string, string>();
  for (const { entry, occurredAt } of collected) {
    if (entry.type !== 'InfusionGiven') continue;
    const earlier = firstInfusion.get(entry.patientId);
    if (earlier === undefined || byClinicalTime(occurredAt, earlier) < 0) firstInfusion.set(entry.patientId, occurredAt);
  }
  const rows = collected.flatMap(({ entry, occurredAt, data }) => {
    if (entry.type !== 'PatientEnrolled' && entry.type !== 'PatientScreenFailed') return [];
    const subject = data as PatientEnrolled | PatientScreenFailed;
    const arm = allocation?.[entry.patientId] ?? null;
    const treated = firstInfusion.has(entry.patientId);
    const row: SdtmRow = {
      SUBJID: entry.patientId,
      RFSTDTC: firstInfusion.get(entry.patientId) ?? null,
      RFICDTC: subject.consentDate,
      SITEID: subject.siteId,
      BRTHDTC: String(subject.birthYear),
      SEX: SEX_TERMS[subject.sex],
      COUNTRY: record.sites.get(subject.siteId)?.country ?? null,
      DMDTC: occurredAt,
      ...(allocation ? { ARM: arm, ACTARM: arm === null ? null : treated ? arm : 'Not Treated' } : {}),
    };
    return [{ patientId: entry.patientId, row }];
  });
  const columns = allocation ? [...DM_COLUMNS, ...ARM_COLUMNS] : DM_COLUMNS;
  // DM has one record per subject: its columns carry no --SEQ
  return dataset('DM', columns, rows, options);
};

/**
 * SDTM-shaped datasets of a log's current data: corrections applied, voided entries left out, one
 * row per collected value (findings) or per record (events, interventions, disposition). A blinded
 * export leaves out every entry that ever held a masked analyte and never carries an arm; ARM and
 * ACTARM appear only in an unblinded export given the allocation. VISIT is null: the log records
 * clinical dates, not visits. The 10-metre walk is kept in QS (QSCAT 'TIMED 10-METRE WALK') rather
 * than FT, and the INCAT total is a derived QS record (QSDRVFL 'Y').
 */
/** Standard units (LBSTRESU) as the log's protocol versions convert them, as the analysis read model does. */
const labConversionsOfLog = (events: readonly EventEnvelope[]): LabConversions => {
  const trialId = events.map((event) => parseTrialStreamId(event.streamId)).find((name) => name !== undefined)?.trialId ?? null;
  const versions = events
    .filter((event) => event.type === 'ProtocolActivated')
    .map((event) => (event.data as ProtocolActivated).definition);
  return labConversionsOf([{ unitConversions: labConversionsBeforeVersions(trialId) }, ...versions]);
};

export const toSdtmDatasets = (events: readonly EventEnvelope[], options: ExportOptions): SdtmDatasets => {
  const record = visibleRecord(buildTrialRecord(events), options);
  const conversions = labConversionsOfLog(events);
  const collected: Collected[] = record.entries.flatMap((entry) => {
    const current = currentVersion(entry);
    return current ? [{ entry, ...current }] : [];
  });
  const domainDataset = (domain: Exclude<SdtmDomain, 'DM' | 'CO'>): SdtmDataset =>
    dataset(
      domain,
      COLUMNS[domain],
      collected.flatMap((item) => ROWS_OF[domain](item, options, conversions).map((row) => ({ patientId: item.entry.patientId, row }))),
      options,
    );
  return {
    DM: demographics(record, collected, options),
    EX: domainDataset('EX'),
    LB: domainDataset('LB'),
    NV: domainDataset('NV'),
    QS: domainDataset('QS'),
    AE: domainDataset('AE'),
    DS: domainDataset('DS'),
    CO: correctionComments(record, options),
  };
};

const DOMAIN_OF_ENTRY: Readonly<Record<string, SdtmDomain>> = {
  InfusionGiven: 'EX',
  LabResulted: 'LB',
  NeurographyRecorded: 'NV',
  ClinicalAssessed: 'QS',
  AdverseEventReported: 'AE',
};

const CO_COLUMNS = [...IDENTIFIERS, 'COSEQ', 'RDOMAIN', 'COREF', 'COVAL', 'COEVAL', 'CODTC'];

/**
 * The variables of each dataset in the order they are written: what the datasets (and their CSV headers)
 * carry, standard and sponsor-defined alike. DM adds ARM and ACTARM in an unblinded export given the arms.
 */
export const SDTM_COLUMNS: { readonly [D in SdtmDomain]: readonly string[] } = { DM: DM_COLUMNS, ...COLUMNS, CO: CO_COLUMNS };

/** What DM adds once an unblinded export carries the allocation. */
export const SDTM_ARM_COLUMNS: readonly string[] = ARM_COLUMNS;

const shown = (value: unknown): string => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

/** What a correction changed, field by field: `value: 12.5 -> 13.5`, the clinical date included when it moved. */
const changesBetween = (before: { occurredAt: string; data: unknown }, after: { occurredAt: string; data: unknown }): string[] => {
  const was = (before.data ?? {}) as Record<string, unknown>;
  const now = (after.data ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort(byCodePoint);
  const changed = fields.filter((field) => JSON.stringify(was[field]) !== JSON.stringify(now[field]));
  return [
    ...(before.occurredAt !== after.occurredAt ? [`date: ${before.occurredAt} -> ${after.occurredAt}`] : []),
    ...changed.map((field) => `${field}: ${shown(was[field])} -> ${shown(now[field])}`),
  ];
};

/**
 * CO: each correction of an exported entry as a comment on it (RDOMAIN, COREF = the entry's event id):
 * original and corrected values and the reason, dated when the correction was recorded. Entries a
 * blinded reader may not see are already left out of the record.
 */
const correctionComments = (record: TrialRecord, options: ExportOptions): SdtmDataset => {
  const rows = record.entries.flatMap((entry) =>
    entry.versions.flatMap((version, index) => {
      if (version.change !== 'correction') return [];
      const before = entry.versions[index - 1];
      const changes = changesBetween(before, version).join('; ');
      return [
        {
          patientId: entry.patientId,
          row: {
            RDOMAIN: DOMAIN_OF_ENTRY[entry.type] ?? null,
            COREF: entry.entryId,
            COVAL: `Corrected ${changes || 'nothing'}. Reason: ${version.reason ?? ''}`,
            COEVAL: version.event.actor.role.toUpperCase(),
            CODTC: version.event.recordedAt.slice(0, 10),
          },
        },
      ];
    }),
  );
  return dataset('CO', CO_COLUMNS, rows, options);
};
