/** Laboratory results, kept exactly as reported: value, unit and censoring qualifier. */

export const LAB_ANALYTES = ['IGM', 'ANTI_MAG', 'CD19', 'CD20'] as const;
export type LabAnalyte = (typeof LAB_ANALYTES)[number];

/** `<` below the limit of detection, `>` above the upper limit of quantification; the value is then the limit. */
export const LAB_QUALIFIERS = ['=', '<', '>'] as const;
export type LabQualifier = (typeof LAB_QUALIFIERS)[number];

export interface LabResulted {
  analyte: LabAnalyte;
  value: number;
  unit: string;
  qualifier: LabQualifier;
  specimenId?: string;
}
