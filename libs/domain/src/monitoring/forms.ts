import { Deviation } from '../events/deviation';
import { LAB_ANALYTES, LabAnalyte, LabResulted } from '../events/lab';

/** What a visit expects to be recorded: one form per lab analyte, a nerve conduction study, an assessment, an infusion. */
export type FormCode = `lab:${LabAnalyte}` | 'neurography' | 'clinical-assessment' | 'infusion';

export const labForm = (analyte: LabAnalyte): FormCode => `lab:${analyte}`;

export const FORM_CODES: readonly FormCode[] = [...LAB_ANALYTES.map(labForm), 'neurography', 'clinical-assessment', 'infusion'];

/** An event of the patient's record as it stands now: corrected payload and time, voided or not. */
export interface RecordedEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  data: unknown;
  voided?: boolean;
}

/** The form an event fills, if it fills one. */
export const formOf = (event: Pick<RecordedEvent, 'type' | 'data'>): FormCode | undefined => {
  switch (event.type) {
    case 'LabResulted': {
      const analyte = (event.data as Partial<LabResulted> | null)?.analyte;
      return analyte !== undefined && (LAB_ANALYTES as readonly string[]).includes(analyte) ? labForm(analyte) : undefined;
    }
    case 'NeurographyRecorded':
      return 'neurography';
    case 'ClinicalAssessed':
      return 'clinical-assessment';
    case 'InfusionGiven':
      return 'infusion';
    default:
      return undefined;
  }
};

/** The deviations the domain attached to an event when it was decided (infusions and nerve studies carry them). */
export const flaggedDeviationsOf = (event: Pick<RecordedEvent, 'data'>): readonly Deviation[] => {
  const deviations = (event.data as { deviations?: unknown } | null)?.deviations;
  return Array.isArray(deviations) ? (deviations as Deviation[]) : [];
};
