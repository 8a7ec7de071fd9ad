import { Logger } from '@nestjs/common';
import { bootstrapApp } from '../../platform/src/bootstrap';
import { ProjectionsModule } from '../../platform/src/projections.module';
import { ANALYSIS_PROJECTIONS } from './analysis.schema';
import { AnalysisModule } from './analysis.module';

/** `npm run start:analysis`: the analysis API with its read model (distributed mode). */
void bootstrapApp({ name: 'analysis', features: [AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)] }).catch((error) => {
  new Logger('bootstrap').error((error as Error)?.stack ?? String(error));
  process.exit(1);
});
