import { ClinicalAssessed, LabAnalyte, NerveStudy } from '@trialstream/domain';

/**
 * What each collected measure is called in the exchange standards, shared by the ODM metadata and
 * the SDTM datasets so that both name a value the same way. Units are CDISC unit terms (`uV`, `C`);
 * the ODM measurement units carry the printed symbol.
 */

export interface LabTest {
  testCode: string;
  test: string;
  specimen: string;
}

export const LAB_TESTS: Readonly<Record<LabAnalyte, LabTest>> = {
  IGM: { testCode: 'IGM', test: 'Immunoglobulin M', specimen: 'SERUM' },
  ANTI_MAG: { testCode: 'MAGAB', test: 'Anti-MAG IgM Antibody', specimen: 'SERUM' },
  CD19: { testCode: 'CD19', test: 'CD19+ B Lymphocytes', specimen: 'BLOOD' },
  CD20: { testCode: 'CD20', test: 'CD20+ B Lymphocytes', specimen: 'BLOOD' },
};

export type NerveMeasureField = keyof Omit<NerveStudy, 'nerve' | 'side'>;

export interface NerveMeasure {
  field: NerveMeasureField;
  testCode: string;
  test: string;
  unit: string;
}

export const NERVE_MEASURES: readonly NerveMeasure[] = [
  { field: 'motorConductionVelocityMs', testCode: 'MCV', test: 'Motor Conduction Velocity', unit: 'm/s' },
  { field: 'distalMotorLatencyMs', testCode: 'DML', test: 'Distal Motor Latency', unit: 'ms' },
  { field: 'cmapAmplitudeMv', testCode: 'CMAP', test: 'Compound Muscle Action Potential Amplitude', unit: 'mV' },
  { field: 'snapAmplitudeUv', testCode: 'SNAP', test: 'Sensory Nerve Action Potential Amplitude', unit: 'uV' },
  { field: 'fWaveLatencyMs', testCode: 'FWAVE', test: 'F-Wave Latency', unit: 'ms' },
  { field: 'distalDistanceMm', testCode: 'DISTDIST', test: 'Distal Stimulation Distance', unit: 'mm' },
];

export const LIMB_TEMPERATURE = { testCode: 'LIMBTEMP', test: 'Limb Temperature', unit: 'C' } as const;

export type AssessmentField = keyof Omit<ClinicalAssessed, 'assessorId'>;

export interface AssessmentMeasure {
  field: AssessmentField;
  testCode: string;
  test: string;
  /** The instrument: SDTM QSCAT. */
  category: string;
  unit: string | null;
}

export const ASSESSMENT_MEASURES: readonly AssessmentMeasure[] = [
  { field: 'incatArms', testCode: 'INCATARM', test: 'INCAT Disability Score - Arms', category: 'INCAT DISABILITY SCALE', unit: null },
  { field: 'incatLegs', testCode: 'INCATLEG', test: 'INCAT Disability Score - Legs', category: 'INCAT DISABILITY SCALE', unit: null },
  { field: 'sensorySumScore', testCode: 'ISSTOT', test: 'INCAT Sensory Sum Score', category: 'INCAT SENSORY SUM SCORE', unit: null },
  { field: 'mrcSumScore', testCode: 'MRCSTOT', test: 'MRC Sum Score', category: 'MRC SUM SCORE', unit: null },
  { field: 'tenMetreWalkSeconds', testCode: 'WALK10M', test: '10-Metre Walk Time', category: 'TIMED 10-METRE WALK', unit: 's' },
  {
    field: 'globalStatus',
    testCode: 'GLOBSTAT',
    test: 'Investigator Global Status vs Baseline',
    category: 'INVESTIGATOR GLOBAL STATUS',
    unit: null,
  },
];

/** The INCAT total is derived (arms + legs), not collected. */
export const INCAT_TOTAL = { testCode: 'INCATTOT', test: 'INCAT Disability Score - Total', category: 'INCAT DISABILITY SCALE' } as const;
