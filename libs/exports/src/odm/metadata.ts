import {
  AE_GRADES,
  AE_OUTCOMES,
  DEVIATION_CODES,
  GLOBAL_STATUSES,
  LAB_ANALYTES,
  LAB_QUALIFIERS,
  NERVES,
  RELATEDNESS,
  SEXES,
  SIDES,
} from '@trialstream/domain';
import { ASSESSMENT_MEASURES, LAB_TESTS, LIMB_TEMPERATURE, NERVE_MEASURES } from '../measures';
import { EntryType } from '../trial-record';

/**
 * The study's ODM metadata as data: which study event, form, item group and item every collected
 * value goes to. OIDs follow the SDTM domain a value ends up in (IT.LB.LBORRES) so that readers of
 * both exports find their way.
 */

export type OdmDataType = 'text' | 'integer' | 'float' | 'date' | 'partialDatetime';

export interface ItemSpec {
  oid: string;
  name: string;
  dataType: OdmDataType;
  /** The SDTM variable the value maps to one to one, if any (ODM SDSVarName, at most 8 characters). */
  sdsVarName?: string;
  codeListOid?: string;
  /** A fixed unit, or `lab` for a lab result in whichever unit it was reported. */
  unit?: string;
}

export interface ItemGroupSpec {
  oid: string;
  name: string;
  repeating: boolean;
  domain?: string;
  items: readonly ItemSpec[];
}

export interface FormSpec {
  oid: string;
  name: string;
  /** Repeating forms are keyed by the id of the event that first recorded the entry. */
  repeating: boolean;
  groups: readonly ItemGroupSpec[];
}

export interface StudyEventSpec {
  oid: string;
  name: string;
  type: 'Scheduled' | 'Unscheduled' | 'Common';
  mandatory: boolean;
  forms: readonly FormSpec[];
}

export const LAB_UNIT = 'lab';

const date = (oid: string, name: string, sdsVarName?: string): ItemSpec => ({ oid, name, dataType: 'partialDatetime', sdsVarName });

const ITEM = {
  siteId: { oid: 'IT.DM.SITEID', name: 'Site', dataType: 'text', sdsVarName: 'SITEID' },
  screeningNumber: { oid: 'IT.DM.SCRNUM', name: 'Screening number', dataType: 'text' },
  consentDate: { oid: 'IT.DM.RFICDTC', name: 'Date of informed consent', dataType: 'date', sdsVarName: 'RFICDTC' },
  sex: { oid: 'IT.DM.SEX', name: 'Sex', dataType: 'text', sdsVarName: 'SEX', codeListOid: 'CL.SEX' },
  birthYear: { oid: 'IT.DM.BRTHYR', name: 'Year of birth', dataType: 'integer', sdsVarName: 'BRTHDTC' },
  heightCm: { oid: 'IT.VS.HEIGHT', name: 'Height', dataType: 'float', unit: 'cm' },
  weightKg: { oid: 'IT.VS.WEIGHT', name: 'Weight', dataType: 'float', unit: 'kg' },
  eligible: { oid: 'IT.IE.ELIGIBLE', name: 'All eligibility criteria met', dataType: 'text', codeListOid: 'CL.NY' },
  criterion: { oid: 'IT.IE.IETESTCD', name: 'Eligibility criterion', dataType: 'text', sdsVarName: 'IETESTCD' },
  criterionMet: { oid: 'IT.IE.MET', name: 'Criterion met', dataType: 'text', codeListOid: 'CL.NY' },
  deviationCode: { oid: 'IT.DV.DVTERM', name: 'Protocol deviation', dataType: 'text', codeListOid: 'CL.DEVIATION' },
  deviationDetail: { oid: 'IT.DV.DETAIL', name: 'Protocol deviation detail', dataType: 'text' },
} satisfies Record<string, ItemSpec>;

const ELIGIBILITY_GROUP: ItemGroupSpec = {
  oid: 'IG.IE',
  name: 'Eligibility criteria',
  repeating: true,
  domain: 'IE',
  items: [ITEM.criterion, ITEM.criterionMet],
};

const DEVIATION_GROUP: ItemGroupSpec = {
  oid: 'IG.DV',
  name: 'Protocol deviations detected',
  repeating: true,
  domain: 'DV',
  items: [ITEM.deviationCode, ITEM.deviationDetail],
};

export const FORMS = {
  enrolment: {
    oid: 'F.ENROL',
    name: 'Enrolment',
    repeating: false,
    groups: [
      {
        oid: 'IG.ENROL',
        name: 'Enrolment',
        repeating: false,
        domain: 'DM',
        items: [
          date('IT.DM.DMDTC', 'Date of enrolment', 'DMDTC'),
          ITEM.siteId,
          ITEM.screeningNumber,
          ITEM.consentDate,
          ITEM.eligible,
          ITEM.heightCm,
          ITEM.weightKg,
          ITEM.sex,
          ITEM.birthYear,
        ],
      },
      ELIGIBILITY_GROUP,
    ],
  },
  screenFailure: {
    oid: 'F.SCRFAIL',
    name: 'Screen failure',
    repeating: false,
    groups: [
      {
        oid: 'IG.SCRFAIL',
        name: 'Screen failure',
        repeating: false,
        domain: 'DM',
        items: [
          date('IT.DS.SFDTC', 'Date of screen failure'),
          ITEM.siteId,
          ITEM.screeningNumber,
          ITEM.consentDate,
          ITEM.sex,
          ITEM.birthYear,
        ],
      },
      ELIGIBILITY_GROUP,
    ],
  },
  randomization: {
    oid: 'F.RAND',
    name: 'Randomization',
    repeating: false,
    groups: [
      {
        oid: 'IG.RAND',
        name: 'Randomization',
        repeating: false,
        items: [
          date('IT.DS.RANDDTC', 'Date of randomization'),
          { oid: 'IT.RAND.KIT', name: 'Kit number', dataType: 'text' },
          { oid: 'IT.RAND.STRATUM', name: 'Stratum', dataType: 'text' },
        ],
      },
    ],
  },
  infusion: {
    oid: 'F.EX',
    name: 'Rituximab infusion',
    repeating: true,
    groups: [
      {
        oid: 'IG.EX',
        name: 'Infusion',
        repeating: false,
        domain: 'EX',
        items: [
          date('IT.EX.EXSTDTC', 'Date of infusion', 'EXSTDTC'),
          { oid: 'IT.EX.CYCLE', name: 'Cycle', dataType: 'integer' },
          { oid: 'IT.EX.INFNUM', name: 'Infusion within cycle', dataType: 'integer' },
          { oid: 'IT.EX.DOSLVL', name: 'Dose level', dataType: 'float', unit: 'mg/m2' },
          ITEM.heightCm,
          ITEM.weightKg,
          { oid: 'IT.EX.BSA', name: 'Body surface area (Mosteller)', dataType: 'float', unit: 'm2' },
          { oid: 'IT.EX.PLANDOSE', name: 'Planned dose', dataType: 'float', unit: 'mg' },
          { oid: 'IT.EX.EXDOSE', name: 'Administered dose', dataType: 'float', unit: 'mg', sdsVarName: 'EXDOSE' },
        ],
      },
      DEVIATION_GROUP,
    ],
  },
  lab: {
    oid: 'F.LB',
    name: 'Laboratory result',
    repeating: true,
    groups: [
      {
        oid: 'IG.LB',
        name: 'Laboratory result',
        repeating: false,
        domain: 'LB',
        items: [
          date('IT.LB.LBDTC', 'Date of specimen collection', 'LBDTC'),
          { oid: 'IT.LB.ANALYTE', name: 'Analyte', dataType: 'text', codeListOid: 'CL.ANALYTE' },
          { oid: 'IT.LB.LBORRES', name: 'Result as reported', dataType: 'float', unit: LAB_UNIT },
          { oid: 'IT.LB.QUAL', name: 'Result qualifier', dataType: 'text', codeListOid: 'CL.LBQUAL' },
          { oid: 'IT.LB.LBREFID', name: 'Specimen id', dataType: 'text', sdsVarName: 'LBREFID' },
        ],
      },
    ],
  },
  neurography: {
    oid: 'F.NV',
    name: 'Nerve conduction study',
    repeating: true,
    groups: [
      {
        oid: 'IG.NV',
        name: 'Nerve conduction study',
        repeating: false,
        domain: 'NV',
        items: [
          date('IT.NV.NVDTC', 'Date of study', 'NVDTC'),
          { oid: 'IT.NV.LIMBTEMP', name: LIMB_TEMPERATURE.test, dataType: 'float', unit: LIMB_TEMPERATURE.unit },
        ],
      },
      {
        oid: 'IG.NVNERVE',
        name: 'Nerve studied',
        repeating: true,
        domain: 'NV',
        items: [
          { oid: 'IT.NV.NVLOC', name: 'Nerve', dataType: 'text', codeListOid: 'CL.NERVE', sdsVarName: 'NVLOC' },
          { oid: 'IT.NV.NVLAT', name: 'Side', dataType: 'text', codeListOid: 'CL.SIDE', sdsVarName: 'NVLAT' },
          ...NERVE_MEASURES.map((measure): ItemSpec => ({
            oid: `IT.NV.${measure.testCode}`,
            name: measure.test,
            dataType: 'float',
            unit: measure.unit,
          })),
        ],
      },
      DEVIATION_GROUP,
    ],
  },
  assessment: {
    oid: 'F.QS',
    name: 'Clinical assessment',
    repeating: true,
    groups: [
      {
        oid: 'IG.QS',
        name: 'Clinical assessment',
        repeating: false,
        domain: 'QS',
        items: [
          date('IT.QS.QSDTC', 'Date of assessment', 'QSDTC'),
          { oid: 'IT.QS.ASSESSOR', name: 'Assessor', dataType: 'text', sdsVarName: 'QSEVALID' },
          ...ASSESSMENT_MEASURES.map((measure): ItemSpec => ({
            oid: `IT.QS.${measure.testCode}`,
            name: measure.test,
            dataType: measure.field === 'globalStatus' ? 'text' : measure.field === 'tenMetreWalkSeconds' ? 'float' : 'integer',
            ...(measure.field === 'globalStatus' ? { codeListOid: 'CL.GLOBSTAT' } : {}),
            ...(measure.unit ? { unit: measure.unit } : {}),
          })),
        ],
      },
    ],
  },
  adverseEvent: {
    oid: 'F.AE',
    name: 'Adverse event',
    repeating: true,
    groups: [
      {
        oid: 'IG.AE',
        name: 'Adverse event',
        repeating: false,
        domain: 'AE',
        items: [
          date('IT.AE.AESTDTC', 'Start date', 'AESTDTC'),
          { oid: 'IT.AE.AETERM', name: 'Reported term', dataType: 'text', sdsVarName: 'AETERM' },
          { oid: 'IT.AE.AESER', name: 'Serious', dataType: 'text', codeListOid: 'CL.NY', sdsVarName: 'AESER' },
          { oid: 'IT.AE.AETOXGR', name: 'CTCAE grade', dataType: 'integer', codeListOid: 'CL.AEGRADE', sdsVarName: 'AETOXGR' },
          { oid: 'IT.AE.AEREL', name: 'Relatedness to study drug', dataType: 'text', codeListOid: 'CL.AEREL', sdsVarName: 'AEREL' },
          { oid: 'IT.AE.AEOUT', name: 'Outcome', dataType: 'text', codeListOid: 'CL.AEOUT', sdsVarName: 'AEOUT' },
        ],
      },
    ],
  },
  withdrawal: {
    oid: 'F.WD',
    name: 'Withdrawal',
    repeating: false,
    groups: [
      {
        oid: 'IG.WD',
        name: 'Withdrawal',
        repeating: false,
        domain: 'DS',
        items: [
          date('IT.DS.DSSTDTC', 'Date of withdrawal', 'DSSTDTC'),
          { oid: 'IT.DS.DSTERM', name: 'Reason for withdrawal', dataType: 'text', sdsVarName: 'DSTERM' },
        ],
      },
    ],
  },
} satisfies Record<string, FormSpec>;

export const STUDY_EVENTS: readonly StudyEventSpec[] = [
  {
    oid: 'SE.SCREENING',
    name: 'Screening and enrolment',
    type: 'Scheduled',
    mandatory: true,
    forms: [FORMS.enrolment, FORMS.screenFailure, FORMS.randomization],
  },
  { oid: 'SE.TREATMENT', name: 'Treatment', type: 'Common', mandatory: false, forms: [FORMS.infusion] },
  { oid: 'SE.ASSESSMENTS', name: 'Assessments', type: 'Common', mandatory: false, forms: [FORMS.lab, FORMS.neurography, FORMS.assessment] },
  { oid: 'SE.SAFETY', name: 'Adverse events', type: 'Common', mandatory: false, forms: [FORMS.adverseEvent] },
  { oid: 'SE.END', name: 'End of participation', type: 'Unscheduled', mandatory: false, forms: [FORMS.withdrawal] },
];

export const FORM_OF_ENTRY: Readonly<Record<EntryType, FormSpec>> = {
  PatientEnrolled: FORMS.enrolment,
  PatientScreenFailed: FORMS.screenFailure,
  PatientRandomized: FORMS.randomization,
  InfusionGiven: FORMS.infusion,
  LabResulted: FORMS.lab,
  NeurographyRecorded: FORMS.neurography,
  ClinicalAssessed: FORMS.assessment,
  AdverseEventReported: FORMS.adverseEvent,
  PatientWithdrawn: FORMS.withdrawal,
};

export const studyEventOf = (form: FormSpec): StudyEventSpec => {
  const event = STUDY_EVENTS.find((candidate) => candidate.forms.includes(form));
  if (!event) throw new Error(`form ${form.oid} belongs to no study event`);
  return event;
};

export interface CodeListItemSpec {
  coded: string;
  decode: string;
  /** The SDTM controlled term, when it differs from the coded value. */
  sdtm?: string;
}

export interface CodeListSpec {
  oid: string;
  name: string;
  dataType: 'text' | 'integer';
  items: readonly CodeListItemSpec[];
}

const humanize = (code: string): string => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');

/** Code lists of the study; the analyte list of a blinded export omits the masked analytes. */
export const codeLists = (maskedAnalytes: readonly string[]): CodeListSpec[] => [
  {
    oid: 'CL.NY',
    name: 'No Yes Response',
    dataType: 'text',
    items: [
      { coded: 'N', decode: 'No' },
      { coded: 'Y', decode: 'Yes' },
    ],
  },
  {
    oid: 'CL.SEX',
    name: 'Sex',
    dataType: 'text',
    items: SEXES.map((sex) => ({ coded: sex, decode: humanize(sex), sdtm: sex === 'female' ? 'F' : 'M' })),
  },
  {
    oid: 'CL.ANALYTE',
    name: 'Analyte',
    dataType: 'text',
    items: LAB_ANALYTES.filter((analyte) => !maskedAnalytes.includes(analyte)).map((analyte) => ({
      coded: analyte,
      decode: LAB_TESTS[analyte].test,
      sdtm: LAB_TESTS[analyte].testCode,
    })),
  },
  {
    oid: 'CL.LBQUAL',
    name: 'Result qualifier',
    dataType: 'text',
    items: LAB_QUALIFIERS.map((qualifier) => ({
      coded: qualifier,
      decode: { '=': 'As measured', '<': 'Below the limit of detection', '>': 'Above the upper limit of quantification' }[qualifier],
    })),
  },
  {
    oid: 'CL.NERVE',
    name: 'Nerve',
    dataType: 'text',
    items: NERVES.map((nerve) => ({ coded: nerve, decode: `${humanize(nerve)} nerve` })),
  },
  { oid: 'CL.SIDE', name: 'Side', dataType: 'text', items: SIDES.map((side) => ({ coded: side, decode: humanize(side) })) },
  {
    oid: 'CL.GLOBSTAT',
    name: 'Global status',
    dataType: 'text',
    items: GLOBAL_STATUSES.map((status) => ({ coded: status, decode: humanize(status) })),
  },
  {
    oid: 'CL.AEGRADE',
    name: 'CTCAE grade',
    dataType: 'integer',
    items: AE_GRADES.map((grade) => ({ coded: String(grade), decode: `Grade ${grade}` })),
  },
  { oid: 'CL.AEREL', name: 'Relatedness', dataType: 'text', items: RELATEDNESS.map((term) => ({ coded: term, decode: humanize(term) })) },
  { oid: 'CL.AEOUT', name: 'Outcome', dataType: 'text', items: AE_OUTCOMES.map((term) => ({ coded: term, decode: humanize(term) })) },
  {
    oid: 'CL.DEVIATION',
    name: 'Protocol deviation',
    dataType: 'text',
    items: DEVIATION_CODES.map((code) => ({ coded: code, decode: humanize(code.replace(/-/g, ' ')) })),
  },
];

/** Printed symbols of the units that are spelt differently in CDISC unit terms. */
const UNIT_SYMBOLS: Readonly<Record<string, string>> = { uV: 'µV', C: '°C', m2: 'm²', 'mg/m2': 'mg/m²' };

export const unitSymbol = (unit: string): string => UNIT_SYMBOLS[unit] ?? unit;

/** A readable, collision-free OID for a unit: letters and digits kept, anything else spelt as its code point. */
export const unitOid = (unit: string): string =>
  `MU.${Array.from(unit, (char) => (/[A-Za-z0-9]/.test(char) ? char : `_${char.codePointAt(0)!.toString(16)}_`)).join('')}`;
