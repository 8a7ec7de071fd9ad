import { UserDirectory } from '@trialstream/auth';
import { IngestModule } from '../../ingest/src/ingest.module';
import { bootstrapApp } from './bootstrap';
import { ensureFirstAdministrator } from './first-administrator';

/**
 * `npm start`: the whole platform in one process. Without DATABASE_URL it runs on the embedded
 * PostgreSQL in DATA_DIR; without KAFKA_BROKERS projections are fed in-process from the store.
 */
async function main() {
  const { app, config } = await bootstrapApp({ name: 'platform', features: [IngestModule] });
  await ensureFirstAdministrator(app.get(UserDirectory), config.dataDir);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
