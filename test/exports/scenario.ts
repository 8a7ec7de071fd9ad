/** A small two-site trial touching every event type, with corrections, voids and masked analytes. */
import { aLabResult, aNeurography, anInfusion } from '@trialstream/domain/testing';
import { TrialLog } from './trial-log';

export const aSmallTrial = () => {
  const log = new TrialLog();
  log.siteActivated('ZH01', 'Zürich University Hospital', 'CH');
  log.siteActivated('BE02', 'Inselspital Bern', 'CH');

  const anna = log.patient('ZH01-007', 'ZH01');
  const bruno = log.patient('BE02-001', 'BE02');
  const carla = log.patient('ZH01-008', 'ZH01');

  const ids = {
    annaEnrolled: anna.enrolled(),
    brunoEnrolled: bruno.enrolled({ sex: 'male', birthYear: 1951, consentDate: '2024-01-12' }),
    carlaScreenFailed: carla.screenFailed(),
    annaRandomized: anna.randomized('K-0042'),
    brunoRandomized: bruno.randomized('K-0043'),
    annaInfusion1: anna.infused('2024-02-01'),
    annaInfusion2: anna.infused('2024-02-08', {
      infusionInCycle: 2,
      administeredDoseMg: 850,
      deviations: [{ code: 'dose-off-by-more-than-10-percent', detail: 'planned 738.75 mg, given 850 mg' }],
    }),
    annaIgm: anna.labResulted('2024-02-01', { analyte: 'IGM', value: 1230, unit: 'mg/dL', specimenId: 'S-1' }),
    annaAntiMag: anna.labResulted('2024-02-01', { analyte: 'ANTI_MAG', value: 70000, unit: 'BTU', qualifier: '>' }),
    annaCd19: anna.labResulted('2024-02-01', { analyte: 'CD19', value: 187.25, unit: 'cells/µL' }),
    annaCd20: anna.labResulted('2024-05-02', { analyte: 'CD20', value: 1, unit: 'cells/µL', qualifier: '<' }),
    brunoIgm: bruno.labResulted('2024-02-03T09:30:00+01:00', { analyte: 'IGM', value: 9.75, unit: 'g/L' }),
    brunoIgmTypo: bruno.labResulted('2024-02-04', { analyte: 'IGM', value: 97.5, unit: 'g/L' }),
    annaNerves: anna.neurographyRecorded('2024-02-02'),
    annaAssessment: anna.assessed('2024-02-02', { mrcSumScore: 52, tenMetreWalkSeconds: 8.4, globalStatus: 'stable' }),
    brunoAe: bruno.adverseEventReported('2024-02-05', {
      term: 'Rash, "itchy", on both arms',
      serious: false,
      grade: 1,
      relatedness: 'possible',
      outcome: 'recovered',
    }),
    corrections: {} as Record<string, string>,
    voids: {} as Record<string, string>,
  };

  ids.corrections.brunoIgm = bruno.corrected(
    ids.brunoIgm,
    'LabResulted',
    aLabResult({ analyte: 'IGM', value: 9.25, unit: 'g/L' }),
    'transcription error: 9.25 on the lab report',
    {
      by: { userId: 'coordinator-be02-senior' },
    },
  );
  ids.corrections.annaCd19 = anna.corrected(
    ids.annaCd19,
    'LabResulted',
    aLabResult({ analyte: 'CD19', value: 178.5, unit: 'cells/µL' }),
    'wrong line of the lab report',
  );
  ids.corrections.annaInfusion1 = anna.corrected(
    ids.annaInfusion1,
    'InfusionGiven',
    anInfusion({ administeredDoseMg: 745 }),
    'pharmacy record shows 745 mg',
    {
      occurredAt: '2024-02-02',
    },
  );
  ids.corrections.annaNerves = anna.corrected(
    ids.annaNerves,
    'NeurographyRecorded',
    aNeurography({
      nerves: [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 34, distalMotorLatencyMs: 7.5, cmapAmplitudeMv: 6.1 }],
    }),
    'sural study belonged to another patient; velocity misread',
  );
  ids.voids.brunoIgmTypo = bruno.voided(ids.brunoIgmTypo, 'duplicate entry of the same sample');
  ids.voids.annaCd20 = anna.voided(ids.annaCd20, 'sample haemolysed');

  const withdrawal = bruno.withdrawn('2024-05-01', 'moved abroad, wants to continue at home');
  return { log, ids: { ...ids, brunoWithdrawn: withdrawal } };
};
