import { Logger } from '@nestjs/common';
import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { bootstrapApp } from '../../platform/src/bootstrap';
import { ProjectionsModule } from '../../platform/src/projections.module';
import { MONITORING_PROJECTIONS } from './monitoring.schema';
import { MonitoringModule } from './monitoring.module';

/** `npm run start:monitoring`: the monitoring read models and their query APIs alone (distributed mode). */
void bootstrapApp({
  name: 'monitoring',
  features: [MonitoringModule, ProjectionsModule.forRoot([...MONITORING_PROJECTIONS, REGISTRY_PROJECTION])],
}).catch((error) => {
  new Logger('bootstrap').error((error as Error)?.stack ?? String(error));
  process.exit(1);
});
