import { Logger } from '@nestjs/common';
import { loadConfig } from '@trialstream/config';
import { AnalysisModule } from '../../analysis/src/analysis.module';
import { AuditModule } from '../../audit/src/audit.module';
import { IngestModule } from '../../ingest/src/ingest.module';
import { MonitoringModule } from '../../monitoring/src/monitoring.module';
import { RelayModule } from '../../relay/src/relay.module';
import { bootstrapApp } from './bootstrap';
import { FirstAdministratorModule } from './first-administrator';
import { PLATFORM_PROJECTIONS } from './migrations';
import { ProjectionsModule } from './projections.module';

/**
 * `npm start`: the whole platform in one process. Without DATABASE_URL it runs on the embedded
 * PostgreSQL in DATA_DIR; without KAFKA_BROKERS projections are fed in-process from the store, and
 * with it the relay publishes to Kafka and the projections consume from there.
 */
async function main() {
  const config = loadConfig();
  await bootstrapApp({
    name: 'platform',
    config,
    features: [
      IngestModule,
      MonitoringModule,
      AnalysisModule,
      AuditModule,
      ProjectionsModule.forRoot(PLATFORM_PROJECTIONS),
      ...(config.kafkaBrokers ? [RelayModule.forRoot()] : []),
      FirstAdministratorModule,
    ],
  });
}

void main().catch((error) => {
  new Logger('bootstrap').error((error as Error)?.stack ?? String(error));
  process.exit(1);
});
