import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { bootstrapApp, startOrExit } from '../../platform/src/bootstrap';
import { ProjectionsModule } from '../../platform/src/projections.module';
import { MONITORING_PROJECTIONS } from './monitoring.schema';
import { MonitoringModule } from './monitoring.module';

/** `npm run start:monitoring`: the monitoring read models and their query APIs alone (distributed mode). */
startOrExit(() =>
  bootstrapApp({
    name: 'monitoring',
    features: [MonitoringModule, ProjectionsModule.forRoot([...MONITORING_PROJECTIONS, REGISTRY_PROJECTION])],
  }),
);
