import type { Projection } from '@trialstream/projections';
import { MONITORING_PROJECTION } from './projection/monitoring.projection';

/** The read models this app owns; the platform migrates them and the CLIs rebuild them by name. */
export const MONITORING_PROJECTIONS: Projection[] = [MONITORING_PROJECTION];

/** Tables of this app outside any projection (created by its own TypeORM migrations). */
export const MONITORING_MIGRATIONS: Function[] = [];
