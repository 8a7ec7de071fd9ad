import { Deviation } from './deviation';

export const NERVES = ['median', 'ulnar', 'fibular', 'tibial', 'sural', 'radial'] as const;
export type Nerve = (typeof NERVES)[number];

/** Nerves on which motor measures (velocity, latency, CMAP, F wave) are taken. */
export const MOTOR_NERVES: readonly Nerve[] = ['median', 'ulnar', 'fibular', 'tibial'];
/**
 * Nerves on which a sensory nerve action potential may be recorded. Sural and radial are the
 * sensory nerves of the protocol; median and ulnar also carry a SNAP because their sensory
 * studies are routine in the upper limb and are where anti-MAG neuropathy shows its absent SNAPs.
 * Fibular and tibial are recorded as motor nerves only.
 */
export const SENSORY_NERVES: readonly Nerve[] = ['sural', 'radial', 'median', 'ulnar'];

export const SIDES = ['left', 'right'] as const;
export type Side = (typeof SIDES)[number];

export interface NerveStudy {
  nerve: Nerve;
  side: Side;
  /** m/s */
  motorConductionVelocityMs?: number;
  /** ms */
  distalMotorLatencyMs?: number;
  /** mV */
  cmapAmplitudeMv?: number;
  /** µV */
  snapAmplitudeUv?: number;
  /** ms */
  fWaveLatencyMs?: number;
  /** mm, from stimulation point to recording electrode; with the latency and velocity it gives the terminal latency index. */
  distalDistanceMm?: number;
}

export interface NeurographyRecorded {
  limbTemperatureC: number;
  nerves: NerveStudy[];
  deviations: Deviation[];
}
