import { SDTM_ARM_COLUMNS, SDTM_COLUMNS, SDTM_DOMAINS, SdtmDataset, SdtmDatasets, SdtmRow, toSdtmDatasets } from '@trialstream/exports';
import { aSmallTrial } from './scenario';
import { exportOptions, TrialLog } from './trial-log';

/** The variables SDTM expects of each dataset (SDTMIG); the platform's own lists must hold them all. */
const STANDARD_COLUMNS: Record<keyof SdtmDatasets, string[]> = {
  DM: ['STUDYID', 'DOMAIN', 'USUBJID', 'SUBJID', 'RFSTDTC', 'RFICDTC', 'SITEID', 'BRTHDTC', 'SEX', 'COUNTRY', 'DMDTC'],
  EX: ['STUDYID', 'DOMAIN', 'USUBJID', 'EXSEQ', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXDOSFRQ', 'EXROUTE', 'EXSTDTC', 'VISIT'],
  LB: [
    'STUDYID',
    'DOMAIN',
    'USUBJID',
    'LBSEQ',
    'LBTESTCD',
    'LBTEST',
    'LBORRES',
    'LBORRESU',
    'LBSTRESC',
    'LBSTRESN',
    'LBSTRESU',
    'LBDTC',
    'VISIT',
  ],
  NV: [
    'STUDYID',
    'DOMAIN',
    'USUBJID',
    'NVSEQ',
    'NVTESTCD',
    'NVTEST',
    'NVLOC',
    'NVLAT',
    'NVORRES',
    'NVORRESU',
    'NVSTRESC',
    'NVSTRESN',
    'NVSTRESU',
    'NVDTC',
    'VISIT',
  ],
  QS: [
    'STUDYID',
    'DOMAIN',
    'USUBJID',
    'QSSEQ',
    'QSCAT',
    'QSTESTCD',
    'QSTEST',
    'QSORRES',
    'QSORRESU',
    'QSSTRESC',
    'QSSTRESN',
    'QSSTRESU',
    'QSDTC',
    'VISIT',
  ],
  AE: ['STUDYID', 'DOMAIN', 'USUBJID', 'AESEQ', 'AETERM', 'AESER', 'AETOXGR', 'AEREL', 'AEOUT', 'AESTDTC', 'VISIT'],
  DS: ['STUDYID', 'DOMAIN', 'USUBJID', 'DSSEQ', 'DSTERM', 'DSDECOD', 'DSCAT', 'DSSTDTC', 'VISIT'],
  CO: ['STUDYID', 'DOMAIN', 'USUBJID', 'COSEQ', 'RDOMAIN', 'COREF', 'COVAL', 'CODTC'],
};

const pick = (rows: SdtmRow[], ...columns: string[]): SdtmRow[] =>
  rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column]])));

const rowsOf = (dataset: SdtmDataset, usubjid: string): SdtmRow[] => dataset.rows.filter((row) => row.USUBJID === usubjid);

describe('SDTM-shaped datasets', () => {
  const { log } = aSmallTrial();
  const datasets = toSdtmDatasets(log.events, exportOptions());
  const ANNA = 'ANTIMAG-RTX-ZH01-007';
  const BRUNO = 'ANTIMAG-RTX-BE02-001';

  it.each(SDTM_DOMAINS)("lists the standard variables among %s's", (domain) => {
    expect(SDTM_COLUMNS[domain]).toEqual(expect.arrayContaining(STANDARD_COLUMNS[domain]));
  });

  it('writes every dataset with its listed variables, every variable in every row', () => {
    for (const domain of SDTM_DOMAINS) {
      const dataset = datasets[domain];
      expect(dataset.columns).toEqual(SDTM_COLUMNS[domain]);
      expect(dataset.rows.length).toBeGreaterThan(0);
      for (const row of dataset.rows) {
        expect(Object.keys(row)).toEqual(dataset.columns);
        expect(row).toMatchObject({ STUDYID: 'ANTIMAG-RTX', DOMAIN: domain });
      }
    }
  });

  it('numbers the records of each subject from 1 in every domain but DM', () => {
    for (const domain of ['EX', 'LB', 'NV', 'QS', 'AE', 'DS'] as const) {
      const bySubject = new Map<unknown, unknown[]>();
      for (const row of datasets[domain].rows) bySubject.set(row.USUBJID, [...(bySubject.get(row.USUBJID) ?? []), row[`${domain}SEQ`]]);
      for (const sequence of bySubject.values()) expect(sequence).toEqual(sequence.map((_, index) => index + 1));
    }
  });

  it('has one DM record per subject, screen failures included, with birth year only and the consent date', () => {
    expect(pick(datasets.DM.rows, 'USUBJID', 'SUBJID', 'SITEID', 'SEX', 'BRTHDTC', 'RFICDTC', 'RFSTDTC', 'COUNTRY')).toEqual([
      {
        USUBJID: BRUNO,
        SUBJID: 'BE02-001',
        SITEID: 'BE02',
        SEX: 'M',
        BRTHDTC: '1951',
        RFICDTC: '2024-01-12',
        RFSTDTC: null,
        COUNTRY: 'CH',
      },
      {
        USUBJID: ANNA,
        SUBJID: 'ZH01-007',
        SITEID: 'ZH01',
        SEX: 'F',
        BRTHDTC: '1956',
        RFICDTC: '2024-01-10',
        RFSTDTC: '2024-02-02',
        COUNTRY: 'CH',
      },
      {
        USUBJID: 'ANTIMAG-RTX-ZH01-008',
        SUBJID: 'ZH01-008',
        SITEID: 'ZH01',
        SEX: 'M',
        BRTHDTC: '1949',
        RFICDTC: '2024-01-11',
        RFSTDTC: null,
        COUNTRY: 'CH',
      },
    ]);
  });

  it('has one LB row per current result: corrections applied, voided results left out', () => {
    expect(pick(datasets.LB.rows, 'USUBJID', 'LBTESTCD', 'LBORRES', 'LBORRESU', 'LBSTRESC', 'LBSTRESN', 'LBSTRESU', 'LBDTC')).toEqual([
      {
        USUBJID: BRUNO,
        LBTESTCD: 'IGM',
        LBORRES: '9.25',
        LBORRESU: 'g/L',
        LBSTRESC: '9.25',
        LBSTRESN: 9.25,
        LBSTRESU: 'g/L',
        LBDTC: '2024-02-03T09:30:00+01:00',
      },
      {
        USUBJID: ANNA,
        LBTESTCD: 'IGM',
        LBORRES: '1230',
        LBORRESU: 'mg/dL',
        LBSTRESC: '12.3',
        LBSTRESN: 12.3,
        LBSTRESU: 'g/L',
        LBDTC: '2024-02-01',
      },
      {
        USUBJID: ANNA,
        LBTESTCD: 'MAGAB',
        LBORRES: '>70000',
        LBORRESU: 'BTU',
        LBSTRESC: '>70000',
        LBSTRESN: null,
        LBSTRESU: 'BTU',
        LBDTC: '2024-02-01',
      },
      {
        USUBJID: ANNA,
        LBTESTCD: 'CD19',
        LBORRES: '178.5',
        LBORRESU: 'cells/µL',
        LBSTRESC: '178.5',
        LBSTRESN: 178.5,
        LBSTRESU: 'cells/µL',
        LBDTC: '2024-02-01',
      },
    ]);
  });

  it('reports a result below detection as reported, converted in LBSTRESC and without LBSTRESN', () => {
    const log = new TrialLog();
    const patient = log.patient('ZH01-001', 'ZH01');
    patient.enrolled();
    patient.labResulted('2024-03-01', { analyte: 'IGM', value: 10, unit: 'mg/dL', qualifier: '<' });
    const [row] = toSdtmDatasets(log.events, exportOptions()).LB.rows;
    expect(row).toMatchObject({ LBORRES: '<10', LBORRESU: 'mg/dL', LBSTRESC: '<0.1', LBSTRESN: null, LBSTRESU: 'g/L' });
  });

  it('has one NV row per nerve, side and measure, plus the limb temperature, after correction', () => {
    expect(pick(rowsOf(datasets.NV, ANNA), 'NVTESTCD', 'NVLOC', 'NVLAT', 'NVORRES', 'NVORRESU', 'NVSTRESN')).toEqual([
      { NVTESTCD: 'LIMBTEMP', NVLOC: null, NVLAT: null, NVORRES: '33', NVORRESU: 'C', NVSTRESN: 33 },
      { NVTESTCD: 'MCV', NVLOC: 'ULNAR NERVE', NVLAT: 'LEFT', NVORRES: '34', NVORRESU: 'm/s', NVSTRESN: 34 },
      { NVTESTCD: 'DML', NVLOC: 'ULNAR NERVE', NVLAT: 'LEFT', NVORRES: '7.5', NVORRESU: 'ms', NVSTRESN: 7.5 },
      { NVTESTCD: 'CMAP', NVLOC: 'ULNAR NERVE', NVLAT: 'LEFT', NVORRES: '6.1', NVORRESU: 'mV', NVSTRESN: 6.1 },
    ]);
  });

  it('has one NV row per collected nerve measure of an uncorrected study', () => {
    const log = new TrialLog();
    const patient = log.patient('ZH01-001', 'ZH01');
    patient.enrolled();
    patient.neurographyRecorded('2024-03-01'); // ulnar: MCV, DML, CMAP, distance; sural: SNAP
    const rows = toSdtmDatasets(log.events, exportOptions()).NV.rows;
    expect(rows.map((row) => `${row.NVTESTCD} ${row.NVLOC ?? ''} ${row.NVLAT ?? ''}`.trim())).toEqual([
      'LIMBTEMP',
      'MCV ULNAR NERVE LEFT',
      'DML ULNAR NERVE LEFT',
      'CMAP ULNAR NERVE LEFT',
      'DISTDIST ULNAR NERVE LEFT',
      'SNAP SURAL NERVE RIGHT',
    ]);
    expect(rows.find((row) => row.NVTESTCD === 'SNAP')).toMatchObject({ NVORRES: '0', NVSTRESN: 0, NVORRESU: 'uV' });
  });

  it('has one QS row per collected score, the walk in seconds, and the INCAT total flagged as derived', () => {
    expect(pick(rowsOf(datasets.QS, ANNA), 'QSTESTCD', 'QSORRES', 'QSORRESU', 'QSSTRESC', 'QSSTRESN', 'QSDRVFL', 'QSEVALID')).toEqual([
      { QSTESTCD: 'INCATARM', QSORRES: '1', QSORRESU: null, QSSTRESC: '1', QSSTRESN: 1, QSDRVFL: null, QSEVALID: 'assessor-3' },
      { QSTESTCD: 'INCATLEG', QSORRES: '2', QSORRESU: null, QSSTRESC: '2', QSSTRESN: 2, QSDRVFL: null, QSEVALID: 'assessor-3' },
      { QSTESTCD: 'INCATTOT', QSORRES: '3', QSORRESU: null, QSSTRESC: '3', QSSTRESN: 3, QSDRVFL: 'Y', QSEVALID: 'assessor-3' },
      { QSTESTCD: 'ISSTOT', QSORRES: '9', QSORRESU: null, QSSTRESC: '9', QSSTRESN: 9, QSDRVFL: null, QSEVALID: 'assessor-3' },
      { QSTESTCD: 'MRCSTOT', QSORRES: '52', QSORRESU: null, QSSTRESC: '52', QSSTRESN: 52, QSDRVFL: null, QSEVALID: 'assessor-3' },
      { QSTESTCD: 'WALK10M', QSORRES: '8.4', QSORRESU: 's', QSSTRESC: '8.4', QSSTRESN: 8.4, QSDRVFL: null, QSEVALID: 'assessor-3' },
      {
        QSTESTCD: 'GLOBSTAT',
        QSORRES: 'stable',
        QSORRESU: null,
        QSSTRESC: 'STABLE',
        QSSTRESN: null,
        QSDRVFL: null,
        QSEVALID: 'assessor-3',
      },
    ]);
  });

  it('has one EX row per infusion with the corrected dose and date, and the cycle beside it', () => {
    expect(pick(datasets.EX.rows, 'USUBJID', 'EXTRT', 'EXDOSE', 'EXDOSU', 'EXSTDTC', 'EXCYCLE', 'EXCYINF', 'EXDOSLVL')).toEqual([
      {
        USUBJID: ANNA,
        EXTRT: 'BLINDED STUDY TREATMENT',
        EXDOSE: 745,
        EXDOSU: 'mg',
        EXSTDTC: '2024-02-02',
        EXCYCLE: 1,
        EXCYINF: 1,
        EXDOSLVL: 375,
      },
      {
        USUBJID: ANNA,
        EXTRT: 'BLINDED STUDY TREATMENT',
        EXDOSE: 850,
        EXDOSU: 'mg',
        EXSTDTC: '2024-02-08',
        EXCYCLE: 1,
        EXCYINF: 2,
        EXDOSLVL: 375,
      },
    ]);
  });

  it('codes adverse events with CDISC terms', () => {
    expect(pick(datasets.AE.rows, 'USUBJID', 'AETERM', 'AESER', 'AETOXGR', 'AEREL', 'AEOUT', 'AESTDTC')).toEqual([
      {
        USUBJID: BRUNO,
        AETERM: 'Rash, "itchy", on both arms',
        AESER: 'N',
        AETOXGR: '1',
        AEREL: 'POSSIBLY RELATED',
        AEOUT: 'RECOVERED/RESOLVED',
        AESTDTC: '2024-02-05',
      },
    ]);
  });

  it('records consent, enrolment, randomization, screen failure and withdrawal in DS', () => {
    expect(pick(datasets.DS.rows, 'USUBJID', 'DSDECOD', 'DSTERM', 'DSSTDTC')).toEqual([
      { USUBJID: BRUNO, DSDECOD: 'INFORMED CONSENT OBTAINED', DSTERM: 'INFORMED CONSENT OBTAINED', DSSTDTC: '2024-01-12' },
      { USUBJID: BRUNO, DSDECOD: 'ENROLLED', DSTERM: 'ENROLLED', DSSTDTC: '2024-01-15' },
      { USUBJID: BRUNO, DSDECOD: 'RANDOMIZED', DSTERM: 'RANDOMIZED', DSSTDTC: '2024-01-20' },
      { USUBJID: BRUNO, DSDECOD: 'WITHDRAWAL FROM STUDY', DSTERM: 'moved abroad, wants to continue at home', DSSTDTC: '2024-05-01' },
      { USUBJID: ANNA, DSDECOD: 'INFORMED CONSENT OBTAINED', DSTERM: 'INFORMED CONSENT OBTAINED', DSSTDTC: '2024-01-10' },
      { USUBJID: ANNA, DSDECOD: 'ENROLLED', DSTERM: 'ENROLLED', DSSTDTC: '2024-01-15' },
      { USUBJID: ANNA, DSDECOD: 'RANDOMIZED', DSTERM: 'RANDOMIZED', DSSTDTC: '2024-01-20' },
      { USUBJID: 'ANTIMAG-RTX-ZH01-008', DSDECOD: 'INFORMED CONSENT OBTAINED', DSTERM: 'INFORMED CONSENT OBTAINED', DSSTDTC: '2024-01-11' },
      {
        USUBJID: 'ANTIMAG-RTX-ZH01-008',
        DSDECOD: 'SCREEN FAILURE',
        DSTERM: 'SCREEN FAILURE: ELIGIBILITY CRITERIA NOT MET (ANTI_MAG_ABOVE_1000_BTU)',
        DSSTDTC: '2024-01-16',
      },
    ]);
  });

  it('leaves VISIT empty: the log records clinical dates, not visits', () => {
    for (const domain of ['EX', 'LB', 'NV', 'QS', 'AE', 'DS'] as const) {
      expect(new Set(datasets[domain].rows.map((row) => row.VISIT))).toEqual(new Set([null]));
    }
  });

  describe('blinding', () => {
    const allocation = { 'ZH01-007': 'RITUXIMAB', 'BE02-001': 'PLACEBO' };

    it('leaves masked analytes out of a blinded export', () => {
      const blinded = toSdtmDatasets(log.events, exportOptions({ blinded: true, allocation }));
      expect(blinded.LB.rows.map((row) => row.LBTESTCD)).toEqual(['IGM', 'IGM', 'MAGAB']);
      expect(JSON.stringify(blinded)).not.toMatch(/CD19|CD20|178\.5/);
    });

    it('gives no arm to a blinded export, even when handed the allocation', () => {
      const blinded = toSdtmDatasets(log.events, exportOptions({ blinded: true, allocation }));
      expect(blinded.DM.columns).not.toContain('ARM');
      expect(blinded.DM.columns).not.toContain('ACTARM');
      expect(JSON.stringify(blinded)).not.toMatch(/PLACEBO/);
    });

    it('gives no arm to an unblinded export without the allocation: the events carry none', () => {
      expect(datasets.DM.columns).not.toContain('ARM');
    });

    it('names the blinded treatment in EX before unblinding, and the actual one (rituximab or placebo) after', () => {
      const placeboAnna = { 'ZH01-007': 'PLACEBO', 'BE02-001': 'RITUXIMAB' };
      const blinded = toSdtmDatasets(log.events, exportOptions({ blinded: true, allocation: placeboAnna }));
      expect(new Set(blinded.EX.rows.map((row) => row.EXTRT))).toEqual(new Set(['BLINDED STUDY TREATMENT']));
      const unblinded = toSdtmDatasets(log.events, exportOptions({ allocation: placeboAnna }));
      expect(pick(unblinded.EX.rows, 'USUBJID', 'EXTRT')).toEqual([
        { USUBJID: ANNA, EXTRT: 'PLACEBO' },
        { USUBJID: ANNA, EXTRT: 'PLACEBO' },
      ]);
      expect(pick(unblinded.DM.rows, 'USUBJID', 'ARM').find((row) => row.USUBJID === ANNA)).toEqual({ USUBJID: ANNA, ARM: 'PLACEBO' });
    });

    it('gives ARM and ACTARM to an unblinded export with the allocation', () => {
      const unblinded = toSdtmDatasets(log.events, exportOptions({ allocation }));
      expect(unblinded.DM.columns).toEqual([...SDTM_COLUMNS.DM, ...SDTM_ARM_COLUMNS]);
      expect(SDTM_ARM_COLUMNS).toEqual(['ARM', 'ACTARM']);
      expect(pick(unblinded.DM.rows, 'USUBJID', 'ARM', 'ACTARM')).toEqual([
        { USUBJID: BRUNO, ARM: 'PLACEBO', ACTARM: 'Not Treated' },
        { USUBJID: ANNA, ARM: 'RITUXIMAB', ACTARM: 'RITUXIMAB' },
        { USUBJID: 'ANTIMAG-RTX-ZH01-008', ARM: null, ACTARM: null },
      ]);
    });
  });
});
