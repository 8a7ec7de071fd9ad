import { loadConfig } from '@trialstream/config';
import { REGISTRY_PROJECTION } from '@trialstream/projections';
import { IngestModule } from '../apps/ingest/src/ingest.module';
import { RegistryModule } from '../apps/monitoring/src/registry/registry.module';
import { bootstrapApp, startOrExit } from '../apps/platform/src/bootstrap';
import { ProjectionsModule } from '../apps/platform/src/projections.module';
import { RelayModule } from '../apps/relay/src/relay.module';

/** What one latency-app process runs: the platform's parts on the latency phase's path. */
export type LatencyAppPart = 'ingest' | 'relay' | 'registry';

/**
 * The latency phase's path as a process of its own, run by the benchmark: ingest, the relay (with KAFKA_BROKERS) and
 * the registry's projection and query API, or the part of them BENCH_LATENCY_PARTS names (comma-separated), as the
 * distributed deployment runs them in processes of their own. Configured from the environment, as every app is.
 */
const config = loadConfig();
const parts = new Set((process.env.BENCH_LATENCY_PARTS ?? 'ingest,relay,registry').split(',') as LatencyAppPart[]);
startOrExit(() =>
  bootstrapApp({
    name: `bench-latency-${[...parts].join('-')}`,
    config,
    features: [
      ...(parts.has('ingest') ? [IngestModule] : []),
      ...(parts.has('relay') && config.kafkaBrokers ? [RelayModule.forRoot()] : []),
      ...(parts.has('registry') ? [ProjectionsModule.forRoot([REGISTRY_PROJECTION]), RegistryModule] : []),
    ],
  }),
);
