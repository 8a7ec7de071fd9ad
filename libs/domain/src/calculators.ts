import { ClinicalAssessed } from './events/clinical';
import { LabAnalyte } from './events/lab';
import { conversionOf, type LabConversions } from './lab-units';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from './protocol';

const requirePositive = (name: string, value: number): void => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
};

/** Rounds half away from zero to a number of decimals, as on a pharmacy order. */
export const roundTo = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor * (1 + Number.EPSILON))) / factor;
};

/** Mosteller: BSA (m²) = √(height cm × weight kg / 3600). */
export const bodySurfaceArea = (heightCm: number, weightKg: number): number => {
  requirePositive('heightCm', heightCm);
  requirePositive('weightKg', weightKg);
  return Math.sqrt((heightCm * weightKg) / 3600);
};

export const plannedDoseMg = (bsaM2: number, mgPerM2: number): number => {
  requirePositive('bsaM2', bsaM2);
  requirePositive('mgPerM2', mgPerM2);
  return bsaM2 * mgPerM2;
};

/** Signed fraction by which the administered dose differs from the planned one (+0.12 = 12% too much). */
export const doseDeviationFraction = (planned: number, administered: number): number => {
  requirePositive('planned', planned);
  if (!Number.isFinite(administered) || administered < 0) {
    throw new RangeError(`administered must be a non-negative number, got ${administered}`);
  }
  return (administered - planned) / planned;
};

/**
 * Whether a dose is further from plan than the protocol's tolerance. "More than 10%" is strict,
 * and a margin below rounding noise keeps exactly 10% inside.
 */
export const isDoseOutsideTolerance = (planned: number, administered: number, tolerance: number): boolean =>
  Math.abs(doseDeviationFraction(planned, administered)) > tolerance + 1e-9;

/**
 * Terminal latency index = distal distance (mm) / (DML (ms) × MCV (m/s)); m/s equals mm/ms, so it
 * has no unit. Low (≤ 0.25) in anti-MAG neuropathy, whose distal latencies are disproportionate.
 */
export const terminalLatencyIndex = (distalDistanceMm: number, dmlMs: number, mcvMs: number): number => {
  requirePositive('distalDistanceMm', distalDistanceMm);
  requirePositive('dmlMs', dmlMs);
  requirePositive('mcvMs', mcvMs);
  return distalDistanceMm / (dmlMs * mcvMs);
};

export type AntiMagTiterBand = 'negative' | 'low' | 'medium' | 'high';

/** Literature bands of the anti-MAG titer (Bühlmann ELISA): positive from 1,000 BTU. */
export const antiMagTiterBand = (btu: number): AntiMagTiterBand => {
  if (!Number.isFinite(btu) || btu < 0) throw new RangeError(`btu must be a non-negative number, got ${btu}`);
  if (btu < 1_000) return 'negative';
  if (btu < 10_000) return 'low';
  if (btu < 70_000) return 'medium';
  return 'high';
};

/**
 * Converts a reported value to its canonical unit, for read models; events keep the value as reported.
 * The conversions are the protocol file's `units` (`labConversionsOf` its versions): aliases such as
 * `cells/uL` or `10*6/L` map to `cells/µL`, and a canonical unit maps to itself. Throws on a unit the
 * protocol has no conversion for.
 */
export const toCanonicalLabValue = (
  analyte: LabAnalyte,
  value: number,
  unit: string,
  conversions: LabConversions,
): { value: number; unit: string } => {
  const conversion = conversionOf(conversions, analyte, unit);
  if (!conversion) throw new RangeError(`no conversion of ${analyte} from ${unit}`);
  if (conversion.factor === 1) return { value, unit: conversion.unit };
  // rounding to 1e-9 removes binary noise (123 × 0.01 = 1.2300000000000002) without losing precision
  return { value: roundTo(value * conversion.factor, 9), unit: conversion.unit };
};

export const isBelowLimbTemperatureThreshold = (
  limbTemperatureC: number,
  thresholdC: number = ANTI_MAG_RITUXIMAB_PROTOCOL.limbTemperatureThresholdC,
): boolean => limbTemperatureC < thresholdC;

/** INCAT disability score = arms + legs (0–10); undefined unless both parts were assessed. */
export const incatTotal = (assessment: Pick<ClinicalAssessed, 'incatArms' | 'incatLegs'>): number | undefined =>
  assessment.incatArms === undefined || assessment.incatLegs === undefined ? undefined : assessment.incatArms + assessment.incatLegs;
