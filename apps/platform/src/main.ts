import { loadConfig, shippedProtocolFile } from '@trialstream/config';
import { AnalysisModule } from '../../analysis/src/analysis.module';
import { AuditModule } from '../../audit/src/audit.module';
import { IngestModule } from '../../ingest/src/ingest.module';
import { MonitoringModule } from '../../monitoring/src/monitoring.module';
import { RelayModule } from '../../relay/src/relay.module';
import { bootstrapApp, startOrExit } from './bootstrap';
import { FirstAdministratorModule } from './first-administrator';
import { PLATFORM_PROJECTIONS } from './migrations';
import { ProjectionsModule } from './projections.module';
import { ReadModelChangesModule } from './read-model-changes';
import { WebAppModule } from './web-app';

/**
 * `npm start`: the whole platform in one process. Without DATABASE_URL it runs on the embedded
 * PostgreSQL in DATA_DIR; without KAFKA_BROKERS projections are fed in-process from the store, and
 * with it the relay publishes to Kafka and the projections consume from there. On first start it
 * activates the protocol of TRIAL_PROTOCOL (placebo | pilot, default placebo) or PROTOCOL_FILE.
 */
async function main() {
  const loaded = loadConfig();
  // the embedded platform runs a trial from the start: the placebo-controlled one unless TRIAL_PROTOCOL or PROTOCOL_FILE says otherwise
  const config = { ...loaded, protocolFile: loaded.protocolFile ?? shippedProtocolFile('placebo') };
  await bootstrapApp({
    name: 'platform',
    config,
    features: [
      IngestModule,
      MonitoringModule,
      AnalysisModule,
      AuditModule,
      ProjectionsModule.forRoot(PLATFORM_PROJECTIONS),
      // Several platform processes on one database elect the one relay that publishes.
      ...(config.kafkaBrokers ? [RelayModule.forRoot({ electLeader: config.databaseUrl !== null })] : []),
      FirstAdministratorModule,
      ReadModelChangesModule,
      WebAppModule.forRoot(config.webDir),
    ],
  });
}

startOrExit(main);
