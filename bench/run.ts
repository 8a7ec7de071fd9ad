// First: from here on only the result reaches stdout.
import { printResult } from './stdout-guard';
import { Logger } from '@nestjs/common';
import { assertKafkaReachable, TEST_KAFKA_BROKERS } from '../test/support/kafka';
import { openBenchDatabase } from './bench-database';
import { BenchKafka } from './bench-kafka';
import { buildOnce } from '../test/support/compiled';
import { measureEmmettPeer } from './emmett-peer';
import { measureEndToEndLatency } from './end-to-end-latency';
import { measureHttpIngest } from './http-ingest';
import { measureScale } from './scale';
import { machineInfo } from './machine';
import { MemoryRecorder } from './memory';
import { ParameterError, readParameters, sizesForReport, usage, type BenchParameters } from './parameters';
import { cleanUpWhenInterrupted } from './interrupt-cleanup';
import { progress } from './progress';
import { measureProjectionCatchUp } from './projection-catch-up';
import { measureRelayPublish } from './relay-publish';
import { measureStoreAppends } from './store-append';
import { measureWebRender } from './web-render';

/**
 * The store, relay and projection phases share one fresh database: the later ones replay what the append phases
 * wrote. It is dropped before the latency phases, which start the platform on fresh databases of their own.
 */
async function throughputPhases(params: BenchParameters, kafka: BenchKafka, memory: MemoryRecorder) {
  const db = await openBenchDatabase();
  try {
    const storeAppend = await measureStoreAppends(db, params, memory);
    const emmett = await measureEmmettPeer(db, params, { single: storeAppend.single_group_commit, batched: storeAppend.batched }, memory);
    const relay = await measureRelayPublish(db, kafka, params, memory);
    const projection = await measureProjectionCatchUp(db, kafka, relay.relayTopic, storeAppend.raw_multi_row_insert, memory);
    return { postgresServerVersion: db.serverVersion, storeAppend, emmett, relay: relay.results, projection };
  } finally {
    await db.close();
  }
}

/** `npm run -s bench`: every measurement in one run against the real PostgreSQL and Kafka, as one JSON document. */
async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'error';
  // Library lines (topic created, relay stopped) would drown the benchmark's own progress.
  Logger.overrideLogger(['error', 'warn']);
  const params = readParameters(process.argv.slice(2), process.env);
  cleanUpWhenInterrupted();
  const startedAt = new Date();
  const started = performance.now();
  await assertKafkaReachable(TEST_KAFKA_BROKERS);
  const kafka = new BenchKafka(TEST_KAFKA_BROKERS, params.partitions);
  const memory = new MemoryRecorder();
  progress('building dist/ if a source changed (the HTTP phases run the compiled apps)');
  buildOnce();
  try {
    const throughput = await throughputPhases(params, kafka, memory);
    const httpIngest = await measureHttpIngest(params, throughput.storeAppend.raw_transaction_per_event);
    const latency = await measureEndToEndLatency(kafka, params, memory);
    const scale = params.scale === null ? null : await measureScale(params.scale, params.scaleCalls);
    const web = await measureWebRender(params.webRuns).catch((error: Error) => ({ error: error.message }));
    const document = {
      benchmark: 'trialstream',
      started_at: startedAt.toISOString(),
      duration_seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      machine: machineInfo(throughput.postgresServerVersion, TEST_KAFKA_BROKERS),
      parameters: sizesForReport(params),
      store_append: throughput.storeAppend,
      emmett_peer: throughput.emmett,
      relay_publish: throughput.relay,
      projection_catch_up: throughput.projection,
      http_ingest: httpIngest,
      end_to_end_latency: latency,
      ...(scale ? { scale } : {}),
      web_app: web,
      memory: memory.report,
    };
    await printResult(document, params.out);
  } finally {
    await kafka.deleteAll().catch((error) => progress(`could not delete the benchmark's topics: ${(error as Error).message}`));
  }
}

main().then(
  // kafkajs and pg leave sockets that would keep the process alive for a while after the last phase.
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ParameterError) progress(`${error.message}\n${usage()}`);
    else progress(`failed: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
