import {
  AdverseEventReported,
  ClinicalAssessed,
  Deviation,
  EventPayloadByType,
  InfusionGiven,
  LabResulted,
  NeurographyRecorded,
  PatientEnrolled,
  PatientRandomized,
  PatientScreenFailed,
  PatientWithdrawn,
} from '@trialstream/domain';
import { decimalString } from '../decimal';
import { ASSESSMENT_MEASURES, NERVE_MEASURES } from '../measures';
import { EntryType } from '../trial-record';
import { FORMS, ItemGroupSpec, ItemSpec, LAB_UNIT } from './metadata';

/** One collected value placed in the form: its item group (and repeat key), item, value and unit. */
export interface ItemValue {
  group: ItemGroupSpec;
  repeatKey: string | null;
  item: ItemSpec;
  value: string;
  unit: string | null;
}

type Primitive = string | number | boolean | undefined;

const asValue = (value: Exclude<Primitive, undefined>): string =>
  typeof value === 'number' ? decimalString(value) : typeof value === 'boolean' ? (value ? 'Y' : 'N') : value;

/** Collects the values of one item group instance, skipping what was not collected. */
const groupValues = (
  group: ItemGroupSpec,
  repeatKey: string | null,
  values: ReadonlyArray<readonly [itemOid: string, value: Primitive, unit?: string]>,
): ItemValue[] =>
  values.flatMap(([itemOid, value, reportedUnit]) => {
    if (value === undefined) return [];
    const item = group.items.find((candidate) => candidate.oid === itemOid);
    if (!item) throw new Error(`item ${itemOid} is not in item group ${group.oid}`);
    const unit = item.unit === LAB_UNIT ? (reportedUnit ?? null) : (item.unit ?? null);
    return [{ group, repeatKey, item, value: asValue(value), unit }];
  });

const [enrolmentGroup, eligibilityGroup] = FORMS.enrolment.groups;
const [screenFailureGroup] = FORMS.screenFailure.groups;
const [infusionGroup, deviationGroup] = FORMS.infusion.groups;
const [neurographyGroup, nerveGroup] = FORMS.neurography.groups;

/** Deviation codes are unique per entry in practice; a repeat still gets a key of its own. */
const deviationValues = (deviations: readonly Deviation[]): ItemValue[] =>
  deviations.flatMap((deviation, index) => {
    const earlier = deviations.slice(0, index).filter((other) => other.code === deviation.code).length;
    const key = earlier === 0 ? deviation.code : `${deviation.code}.${earlier + 1}`;
    return groupValues(deviationGroup, key, [
      ['IT.DV.DVTERM', deviation.code],
      ['IT.DV.DETAIL', deviation.detail],
    ]);
  });

const criteriaValues = (criteria: ReadonlyArray<{ code: string; met: boolean }>): ItemValue[] =>
  criteria.flatMap((criterion) =>
    groupValues(eligibilityGroup, criterion.code, [
      ['IT.IE.IETESTCD', criterion.code],
      ['IT.IE.MET', criterion.met],
    ]),
  );

type ValuesOf<K extends EntryType> = (occurredAt: string, data: EventPayloadByType[K]) => ItemValue[];

const VALUES: { [K in EntryType]: ValuesOf<K> } = {
  PatientEnrolled: (occurredAt, data: PatientEnrolled) => [
    ...groupValues(enrolmentGroup, null, [
      ['IT.DM.DMDTC', occurredAt],
      ['IT.DM.SITEID', data.siteId],
      ['IT.DM.SCRNUM', data.screeningNumber],
      ['IT.DM.RFICDTC', data.consentDate],
      ['IT.IE.ELIGIBLE', data.eligibility.met],
      ['IT.VS.HEIGHT', data.heightCm],
      ['IT.VS.WEIGHT', data.weightKg],
      ['IT.DM.SEX', data.sex],
      ['IT.DM.BRTHYR', data.birthYear],
    ]),
    ...criteriaValues(data.eligibility.criteria),
  ],
  PatientScreenFailed: (occurredAt, data: PatientScreenFailed) => [
    ...groupValues(screenFailureGroup, null, [
      ['IT.DS.SFDTC', occurredAt],
      ['IT.DM.SITEID', data.siteId],
      ['IT.DM.SCRNUM', data.screeningNumber],
      ['IT.DM.RFICDTC', data.consentDate],
      ['IT.DM.SEX', data.sex],
      ['IT.DM.BRTHYR', data.birthYear],
    ]),
    ...criteriaValues(data.failedCriteria.map((code) => ({ code, met: false }))),
  ],
  PatientRandomized: (occurredAt, data: PatientRandomized) =>
    groupValues(FORMS.randomization.groups[0], null, [
      ['IT.DS.RANDDTC', occurredAt],
      ['IT.RAND.KIT', data.kitNumber],
      ['IT.RAND.STRATUM', data.stratum],
    ]),
  InfusionGiven: (occurredAt, data: InfusionGiven) => [
    ...groupValues(infusionGroup, null, [
      ['IT.EX.EXSTDTC', occurredAt],
      ['IT.EX.CYCLE', data.cycle],
      ['IT.EX.INFNUM', data.infusionInCycle],
      ['IT.EX.DOSLVL', data.doseLevelMgPerM2],
      ['IT.VS.HEIGHT', data.heightCm],
      ['IT.VS.WEIGHT', data.weightKg],
      ['IT.EX.BSA', data.bsaM2],
      ['IT.EX.PLANDOSE', data.plannedDoseMg],
      ['IT.EX.EXDOSE', data.administeredDoseMg],
    ]),
    ...deviationValues(data.deviations),
  ],
  LabResulted: (occurredAt, data: LabResulted) =>
    groupValues(FORMS.lab.groups[0], null, [
      ['IT.LB.LBDTC', occurredAt],
      ['IT.LB.ANALYTE', data.analyte],
      ['IT.LB.LBORRES', data.value, data.unit],
      ['IT.LB.QUAL', data.qualifier],
      ['IT.LB.LBREFID', data.specimenId],
    ]),
  NeurographyRecorded: (occurredAt, data: NeurographyRecorded) => [
    ...groupValues(neurographyGroup, null, [
      ['IT.NV.NVDTC', occurredAt],
      ['IT.NV.LIMBTEMP', data.limbTemperatureC],
    ]),
    ...data.nerves.flatMap((study) =>
      groupValues(nerveGroup, `${study.nerve}.${study.side}`, [
        ['IT.NV.NVLOC', study.nerve],
        ['IT.NV.NVLAT', study.side],
        ...NERVE_MEASURES.map((measure) => [`IT.NV.${measure.testCode}`, study[measure.field]] as const),
      ]),
    ),
    ...deviationValues(data.deviations),
  ],
  ClinicalAssessed: (occurredAt, data: ClinicalAssessed) =>
    groupValues(FORMS.assessment.groups[0], null, [
      ['IT.QS.QSDTC', occurredAt],
      ['IT.QS.ASSESSOR', data.assessorId],
      ...ASSESSMENT_MEASURES.map((measure) => [`IT.QS.${measure.testCode}`, data[measure.field]] as const),
    ]),
  AdverseEventReported: (occurredAt, data: AdverseEventReported) =>
    groupValues(FORMS.adverseEvent.groups[0], null, [
      ['IT.AE.AESTDTC', occurredAt],
      ['IT.AE.AETERM', data.term],
      ['IT.AE.AESER', data.serious],
      ['IT.AE.AETOXGR', data.grade],
      ['IT.AE.AEREL', data.relatedness],
      ['IT.AE.AEOUT', data.outcome],
    ]),
  PatientWithdrawn: (occurredAt, data: PatientWithdrawn) =>
    groupValues(FORMS.withdrawal.groups[0], null, [
      ['IT.DS.DSSTDTC', occurredAt],
      ['IT.DS.DSTERM', data.reason],
    ]),
};

/** Every collected value of one version of an entry, in form order. */
export const itemValuesOf = (type: EntryType, occurredAt: string, data: unknown): ItemValue[] =>
  (VALUES[type] as ValuesOf<EntryType>)(occurredAt, data as never);
