import { bootstrapApp, startOrExit } from '../../platform/src/bootstrap';
import { ProjectionsModule } from '../../platform/src/projections.module';
import { ANALYSIS_PROJECTIONS } from './analysis.schema';
import { AnalysisModule } from './analysis.module';

/** `npm run start:analysis`: the analysis API with its read model (distributed mode). */
startOrExit(() => bootstrapApp({ name: 'analysis', features: [AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)] }));
