import type { Projection } from '@trialstream/projections';
import { ALLOCATION_MIGRATIONS } from '@trialstream/allocation';
import { ANALYSIS_PROJECTION } from './projection/analysis.projection';

/** The read models this app owns; the platform migrates them and the CLIs rebuild them by name. */
export const ANALYSIS_PROJECTIONS: Projection[] = [ANALYSIS_PROJECTION];

/** Tables of this app outside any projection (created by its own TypeORM migrations): the allocation list. */
export const ANALYSIS_MIGRATIONS: Function[] = [...ALLOCATION_MIGRATIONS];
