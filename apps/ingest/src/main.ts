import { Logger } from '@nestjs/common';
import { bootstrapApp } from '../../platform/src/bootstrap';
import { IngestModule } from './ingest.module';

/** `npm run start:ingest`: the site-facing write API alone (distributed mode). */
void bootstrapApp({ name: 'ingest', features: [IngestModule] }).catch((error) => {
  new Logger('bootstrap').error((error as Error)?.stack ?? String(error));
  process.exit(1);
});
