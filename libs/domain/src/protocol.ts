import { LabAnalyte } from './events/lab';

/** An accepted interval of a measure. Bounds are inclusive unless marked exclusive. */
export interface NumericRange {
  min: number;
  max: number;
  minExclusive?: boolean;
  integer?: boolean;
}

/**
 * What a protocol fixes, as data: a later protocol (another dose, other masked analytes, other
 * scales) is a new definition, not new code.
 */
export interface ProtocolDefinition {
  id: string;
  title: string;
  /** Allowed dose levels; constant within a cycle. */
  doseLevelsMgPerM2: readonly number[];
  /** An administered dose further than this fraction from the planned dose is a deviation. */
  doseTolerance: number;
  infusionsPerCycle: number;
  /** Days between consecutive infusions of a cycle. */
  infusionIntervalDays: number;
  /** Allowed distance (± days) of an infusion from its due day. */
  infusionWindowDays: number;
  /** Analytes that reveal the allocation and are hidden from blinded roles. */
  maskedAnalytes: readonly LabAnalyte[];
  /** A nerve conduction study of a colder limb is flagged: conduction slows with temperature. */
  limbTemperatureThresholdC: number;
  /** How far a clinical time may lie ahead of the server's clock (site clocks drift). */
  allowedClockSkewMinutes: number;
  anthropometry: { heightCm: NumericRange; weightKg: NumericRange };
  administeredDoseMg: NumericRange;
  /** Allowed units per analyte, each with the plausible range of a reported value. */
  labs: Readonly<Record<LabAnalyte, { units: Readonly<Record<string, NumericRange>> }>>;
  neurography: {
    limbTemperatureC: NumericRange;
    motorConductionVelocityMs: NumericRange;
    distalMotorLatencyMs: NumericRange;
    cmapAmplitudeMv: NumericRange;
    snapAmplitudeUv: NumericRange;
    fWaveLatencyMs: NumericRange;
    distalDistanceMm: NumericRange;
  };
  scores: {
    incatArms: NumericRange;
    incatLegs: NumericRange;
    sensorySumScore: NumericRange;
    mrcSumScore: NumericRange;
    tenMetreWalkSeconds: NumericRange;
  };
}

/** Everything a decide function needs besides the state and the command. */
export interface DecisionContext {
  /** The server's clock, passed in so that decisions stay pure and testable. */
  now: Date;
  protocol: ProtocolDefinition;
}

const cellCounts = {
  units: {
    'cells/µL': { min: 0, max: 10_000 },
    '%': { min: 0, max: 100 },
  },
};

/** Rituximab in anti-MAG IgM neuropathy: the first protocol of the platform. */
export const ANTI_MAG_RITUXIMAB_PROTOCOL: ProtocolDefinition = {
  id: 'anti-mag-rituximab',
  title: 'Rituximab in anti-MAG IgM neuropathy',
  doseLevelsMgPerM2: [375, 750],
  doseTolerance: 0.1,
  infusionsPerCycle: 4,
  infusionIntervalDays: 7,
  infusionWindowDays: 2,
  maskedAnalytes: ['CD19', 'CD20'],
  limbTemperatureThresholdC: 32,
  allowedClockSkewMinutes: 5,
  anthropometry: {
    heightCm: { min: 100, max: 250 },
    weightKg: { min: 25, max: 300 },
  },
  administeredDoseMg: { min: 0, minExclusive: true, max: 5_000 },
  labs: {
    IGM: {
      units: {
        'g/L': { min: 0, minExclusive: true, max: 200 },
        'mg/dL': { min: 0, minExclusive: true, max: 20_000 },
      },
    },
    ANTI_MAG: { units: { BTU: { min: 0, minExclusive: true, max: 10_000_000 } } },
    CD19: cellCounts,
    CD20: cellCounts,
  },
  neurography: {
    limbTemperatureC: { min: 20, max: 40 },
    motorConductionVelocityMs: { min: 0, minExclusive: true, max: 90 },
    distalMotorLatencyMs: { min: 0, minExclusive: true, max: 50 },
    // zero is a real finding: an absent response
    cmapAmplitudeMv: { min: 0, max: 50 },
    snapAmplitudeUv: { min: 0, max: 200 },
    fWaveLatencyMs: { min: 0, minExclusive: true, max: 150 },
    distalDistanceMm: { min: 20, max: 200 },
  },
  scores: {
    incatArms: { min: 0, max: 5, integer: true },
    incatLegs: { min: 0, max: 5, integer: true },
    sensorySumScore: { min: 0, max: 20, integer: true },
    mrcSumScore: { min: 0, max: 60, integer: true },
    tenMetreWalkSeconds: { min: 0, minExclusive: true, max: 600 },
  },
};

/** Whether results of this analyte reveal the allocation under this protocol (B cells vanish under rituximab). */
export const isMaskedAnalyte = (protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>, analyte: string): boolean =>
  (protocol.maskedAnalytes as readonly string[]).includes(analyte);
