import { bootstrapApp, startOrExit } from '../../platform/src/bootstrap';
import { IngestModule } from './ingest.module';

/** `npm run start:ingest`: the site-facing write API alone (distributed mode). */
startOrExit(() => bootstrapApp({ name: 'ingest', features: [IngestModule] }));
