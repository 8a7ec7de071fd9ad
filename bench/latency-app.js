'use strict';
/**
 * The latency phase's path as a process of its own, run by the benchmark: ingest, the relay (with KAFKA_BROKERS) and
 * the registry's projection and query API, or the parts BENCH_LATENCY_PARTS names (comma-separated: ingest, relay,
 * registry), as the distributed deployment runs them in processes of their own. Configured from the environment, as
 * every app is. Plain JavaScript on the compiled modules of dist/, as `npm start` runs: under ts-node each process
 * carried the TypeScript compiler in its heap (165 MB used instead of 57 MB in the ingest process), and collecting that
 * heap slowed the very process whose latency is measured.
 */
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const { loadConfig } = require(join(dist, 'libs/config/src'));
const { REGISTRY_PROJECTION } = require(join(dist, 'libs/projections/src'));
const { IngestModule } = require(join(dist, 'apps/ingest/src/ingest.module'));
const { RegistryModule } = require(join(dist, 'apps/monitoring/src/registry/registry.module'));
const { bootstrapApp, startOrExit } = require(join(dist, 'apps/platform/src/bootstrap'));
const { ProjectionsModule } = require(join(dist, 'apps/platform/src/projections.module'));
const { RelayModule } = require(join(dist, 'apps/relay/src/relay.module'));

const config = loadConfig();
const parts = new Set((process.env.BENCH_LATENCY_PARTS ?? 'ingest,relay,registry').split(','));
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
