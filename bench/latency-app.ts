import { loadConfig } from '@trialstream/config';
import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { IngestModule } from '../apps/ingest/src/ingest.module';
import { RegistryModule } from '../apps/monitoring/src/registry/registry.module';
import { bootstrapApp, startOrExit } from '../apps/platform/src/bootstrap';
import { ProjectionsModule } from '../apps/platform/src/projections.module';
import { RelayModule } from '../apps/relay/src/relay.module';

/**
 * The platform as `npm start` composes it for the latency phase's path, run by the benchmark as a process of its
 * own: ingest, the registry's projection and query API, and with KAFKA_BROKERS the relay (the registry is then fed
 * from Kafka). Configured from the environment, as every app is.
 */
const config = loadConfig();
startOrExit(() =>
  bootstrapApp({
    name: 'bench-latency',
    config,
    features: [
      IngestModule,
      ...(config.kafkaBrokers ? [RelayModule.forRoot()] : []),
      ProjectionsModule.forRoot([REGISTRY_PROJECTION]),
      RegistryModule,
    ],
  }),
);
