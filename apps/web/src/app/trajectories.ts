import type { PatientState } from '../domain';

/** A patient's measurements over clinical time, as they stand after corrections and voids (the domain's state). */
export interface Point {
  date: string;
  value: number;
}

export interface Trajectories {
  igm: Point[];
  antiMag: Point[];
  conduction: Record<string, Point[]>;
  incat: Point[];
  sensorySum: Point[];
  mrc: Point[];
  infusions: string[];
}

const byDate = (a: Point, b: Point) => a.date.localeCompare(b.date);

export function trajectoriesOf(state: PatientState): Trajectories {
  const result: Trajectories = { igm: [], antiMag: [], conduction: {}, incat: [], sensorySum: [], mrc: [], infusions: [] };
  for (const entry of Object.values(state.entries)) {
    if (entry.voided) continue;
    const date = entry.occurredAt.slice(0, 10);
    const data = entry.data as Record<string, unknown>;
    if (entry.type === 'LabResulted' && typeof data.value === 'number') {
      if (data.analyte === 'IGM') result.igm.push({ date, value: data.unit === 'mg/dL' ? data.value / 100 : data.value });
      if (data.analyte === 'ANTI_MAG') result.antiMag.push({ date, value: data.value });
    }
    if (entry.type === 'NeurographyRecorded' && Array.isArray(data.nerves)) {
      for (const nerve of data.nerves as Array<Record<string, unknown>>) {
        if (typeof nerve.motorConductionVelocityMs !== 'number') continue;
        const key = `${String(nerve.nerve)} ${String(nerve.side)}`;
        (result.conduction[key] ??= []).push({ date, value: nerve.motorConductionVelocityMs });
      }
    }
    if (entry.type === 'ClinicalAssessed') {
      if (typeof data.incatArms === 'number' && typeof data.incatLegs === 'number')
        result.incat.push({ date, value: data.incatArms + data.incatLegs });
      if (typeof data.sensorySumScore === 'number') result.sensorySum.push({ date, value: data.sensorySumScore });
      if (typeof data.mrcSumScore === 'number') result.mrc.push({ date, value: data.mrcSumScore });
    }
    if (entry.type === 'InfusionGiven') result.infusions.push(date);
  }
  for (const series of [result.igm, result.antiMag, result.incat, result.sensorySum, result.mrc, ...Object.values(result.conduction)])
    series.sort(byDate);
  result.infusions.sort();
  return result;
}
