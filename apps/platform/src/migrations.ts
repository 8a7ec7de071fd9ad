import { AUTH_MIGRATIONS } from '@trialstream/auth';
import { EVENT_STORE_MIGRATIONS } from '@trialstream/event-store';
import { Projection, projectionMigration, REGISTRY_PROJECTION } from '@trialstream/projections';
import { ANALYSIS_MIGRATIONS, ANALYSIS_PROJECTIONS } from '../../analysis/src/analysis.schema';
import { AUDIT_MIGRATIONS, AUDIT_PROJECTIONS } from '../../audit/src/audit.schema';
import { MONITORING_MIGRATIONS, MONITORING_PROJECTIONS } from '../../monitoring/src/monitoring.schema';
import { RELAY_MIGRATIONS } from '../../relay/src/migrations';

/** Every read model of the platform, by which the CLIs find them and the composed app feeds them. */
export const PLATFORM_PROJECTIONS: readonly Projection[] = [
  REGISTRY_PROJECTION,
  ...MONITORING_PROJECTIONS,
  ...ANALYSIS_PROJECTIONS,
  ...AUDIT_PROJECTIONS,
];

/** Every schema of the platform, in one database; each app migrates all of it, so any may start first. */
export const PLATFORM_MIGRATIONS = [
  ...EVENT_STORE_MIGRATIONS,
  ...AUTH_MIGRATIONS,
  ...RELAY_MIGRATIONS,
  ...MONITORING_MIGRATIONS,
  ...ANALYSIS_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...PLATFORM_PROJECTIONS.map(projectionMigration),
];
