import { bootstrapApp } from '../../platform/src/bootstrap';
import { IngestModule } from './ingest.module';

/** `npm run start:ingest`: the site-facing write API alone (distributed mode). */
void bootstrapApp({ name: 'ingest', features: [IngestModule] }).catch((error) => {
  console.error(error);
  process.exit(1);
});
