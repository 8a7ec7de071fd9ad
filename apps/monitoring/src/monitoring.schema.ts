import type { Projection } from '@trialstream/projections';

/** The read models this app owns; the platform migrates them and the CLIs rebuild them by name. */
export const MONITORING_PROJECTIONS: Projection[] = [];

/** Tables of this app outside any projection (created by its own TypeORM migrations). */
export const MONITORING_MIGRATIONS: Function[] = [];
