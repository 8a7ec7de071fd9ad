/** Payloads as the log stores them, for tests that start from recorded events rather than commands. */
import { AdverseEventReported } from '../events/adverse-event';
import { ClinicalAssessed } from '../events/clinical';
import { InfusionGiven } from '../events/infusion';
import { LabResulted } from '../events/lab';
import { NeurographyRecorded } from '../events/neurography';
import { PatientEnrolled, PatientScreenFailed } from '../events/patient-lifecycle';

/** Patient ZH01-007, eligible: what `decideEnrolment` stores for `enrolmentCommand()`. */
export const anEnrolment = (overrides: Partial<PatientEnrolled> = {}): PatientEnrolled => ({
  patientId: 'ZH01-007',
  siteId: 'ZH01',
  screeningNumber: '007',
  consentDate: '2024-01-10',
  eligibility: {
    met: true,
    criteria: [
      { code: 'ANTI_MAG_ABOVE_1000_BTU', met: true },
      { code: 'SENSORY_SUM_AT_LEAST_4', met: true },
    ],
  },
  heightCm: 175,
  weightKg: 80,
  sex: 'female',
  birthYear: 1956,
  ...overrides,
});

export const aScreenFailure = (overrides: Partial<PatientScreenFailed> = {}): PatientScreenFailed => ({
  patientId: 'ZH01-008',
  siteId: 'ZH01',
  screeningNumber: '008',
  consentDate: '2024-01-11',
  failedCriteria: ['ANTI_MAG_ABOVE_1000_BTU'],
  sex: 'male',
  birthYear: 1949,
  ...overrides,
});

/** Cycle 1's first infusion at 375 mg/m² for 175 cm and 80 kg: what `decideInfusion` stores for `infusionCommand()`. */
export const anInfusion = (overrides: Partial<InfusionGiven> = {}): InfusionGiven => ({
  cycle: 1,
  infusionInCycle: 1,
  doseLevelMgPerM2: 375,
  heightCm: 175,
  weightKg: 80,
  bsaM2: 1.97,
  plannedDoseMg: 738.75,
  administeredDoseMg: 740,
  deviations: [],
  ...overrides,
});

export const aLabResult = (overrides: Partial<LabResulted> = {}): LabResulted => ({
  analyte: 'IGM',
  value: 12.5,
  unit: 'g/L',
  qualifier: '=',
  ...overrides,
});

export const aNeurography = (overrides: Partial<NeurographyRecorded> = {}): NeurographyRecorded => ({
  limbTemperatureC: 33,
  nerves: [
    { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32, distalMotorLatencyMs: 7.5, cmapAmplitudeMv: 6.1, distalDistanceMm: 70 },
    { nerve: 'sural', side: 'right', snapAmplitudeUv: 0 },
  ],
  deviations: [],
  ...overrides,
});

export const anAssessment = (overrides: Partial<ClinicalAssessed> = {}): ClinicalAssessed => ({
  assessorId: 'assessor-3',
  incatArms: 1,
  incatLegs: 2,
  sensorySumScore: 9,
  ...overrides,
});

export const anAdverseEvent = (overrides: Partial<AdverseEventReported> = {}): AdverseEventReported => ({
  term: 'Infusion-related reaction',
  serious: false,
  grade: 2,
  relatedness: 'probable',
  ...overrides,
});
