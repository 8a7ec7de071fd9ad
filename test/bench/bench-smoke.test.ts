import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
/** Exactly what `npm run bench` runs, without npm's banner on stdout. */
const BENCH_COMMAND = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/run.ts'];

async function runBenchmark(args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(process.execPath, [...BENCH_COMMAND, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'error' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 540_000,
    });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`the benchmark failed: ${(error as Error).message}\n${stderr ?? ''}`);
  }
}

type Json = Record<string, unknown>;

const at = (document: Json, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);

const THROUGHPUTS = [
  'store_append.single_group_commit',
  'store_append.batched',
  'store_append.raw_transaction_per_event',
  'store_append.raw_multi_row_insert',
  'relay_publish.relay',
  'relay_publish.raw_kafkajs_produce',
  'projection_catch_up.store_feed',
  'projection_catch_up.rebuild',
  'projection_catch_up.kafka_feed',
  'projection_catch_up.keyset_read',
  'emmett_peer.single',
  'emmett_peer.batched',
  'http_ingest.ingest_alone_postgres',
  'http_ingest.platform_postgres',
  'http_ingest.platform_embedded',
  'http_ingest.floor.node_http',
  'http_ingest.floor.nest_express',
];

const RATIOS = [
  'store_append.ratios.single_vs_raw_transaction_per_event',
  'store_append.ratios.single_vs_raw_multi_row_insert',
  'store_append.ratios.batched_vs_raw_multi_row_insert',
  'relay_publish.ratios.relay_vs_raw_kafkajs_produce',
  'projection_catch_up.ratios.store_feed_vs_raw_multi_row_insert',
  'projection_catch_up.ratios.kafka_feed_vs_raw_multi_row_insert',
  'projection_catch_up.ratios.rebuild_vs_keyset_read',
  'emmett_peer.ratios.our_single_group_commit_vs_emmett_single',
  'emmett_peer.ratios.our_batched_vs_emmett_batched',
  'http_ingest.ratios.ingest_alone_vs_raw_transaction_per_event',
  'http_ingest.ratios.platform_embedded_vs_platform_postgres',
  'http_ingest.ratios.ingest_alone_vs_nest_express_floor',
  'http_ingest.ratios.nest_express_floor_vs_raw_transaction_per_event',
];

const LATENCIES = ['end_to_end_latency.kafka', 'end_to_end_latency.in_process'];

const MEMORY_PHASES = [
  'store_append_single',
  'store_append_batched',
  'raw_transaction_per_event',
  'raw_multi_row_insert',
  'relay_publish',
  'raw_kafkajs_produce',
  'projection_store_feed',
  'projection_rebuild',
  'projection_kafka_feed',
  'end_to_end_kafka',
  'end_to_end_in_process',
  'emmett_single',
  'emmett_batched',
];

// Shape only: speeds depend on the machine, so nothing here compares one number with another.
describe('npm run bench', () => {
  let document: Json;
  let stderr: string;

  beforeAll(async () => {
    const output = await runBenchmark([
      '--events',
      '200',
      '--concurrency',
      '4',
      '--batch-size',
      '50',
      '--latency-samples',
      '5',
      '--http-requests',
      '40',
      '--http-clients',
      '4',
      '--open-loop-rate',
      '20',
      '--open-loop-seconds',
      '1',
      '--open-loop-warm-up-seconds',
      '1',
      '--web-runs',
      '1',
    ]);
    stderr = output.stderr;
    document = JSON.parse(output.stdout) as Json;
  }, 560_000);

  it('prints one JSON document on stdout, with progress on stderr', () => {
    expect(document.benchmark).toBe('trialstream');
    expect(stderr).toContain('[bench');
  });

  it('reports the machine and the sizes it ran with', () => {
    expect(at(document, 'machine.cpus')).toBeGreaterThan(0);
    expect(at(document, 'machine.node_version')).toBe(process.version);
    expect(at(document, 'machine.postgres_server_version')).toMatch(/^\d+/);
    expect(at(document, 'parameters')).toMatchObject({ events: 200, concurrency: 4, batch_size: 50, latency_samples: 5 });
  });

  it.each(THROUGHPUTS)('measures %s as events, seconds and events per second', (path) => {
    const metric = at(document, path) as Json;
    expect(metric).toEqual(
      expect.objectContaining({ events: expect.any(Number), seconds: expect.any(Number), events_per_second: expect.any(Number) }),
    );
    expect(metric.events).toBeGreaterThan(0);
    expect(metric.seconds).toBeGreaterThan(0);
    expect(metric.events_per_second).toBeGreaterThan(0);
  });

  it('replays into the relay and the projections every event the append phases stored', () => {
    expect(at(document, 'relay_publish.relay.events')).toBe(2 * 200);
    expect(at(document, 'projection_catch_up.kafka_feed.events')).toBe(2 * 200);
  });

  it.each(RATIOS)('gives the ratio %s as a positive number', (path) => {
    const value = at(document, path);
    expect(typeof value).toBe('number');
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0);
  });

  it.each(LATENCIES)('reports %s submit-to-visible latency quantiles over every sample', (path) => {
    const latency = at(document, `${path}.submit_to_visible`) as Json;
    expect(latency.samples).toBe(5);
    for (const quantile of ['p50_ms', 'p95_ms', 'p99_ms']) expect(latency[quantile]).toBeGreaterThan(0);
    expect(latency.p50_ms as number).toBeLessThanOrEqual(latency.p95_ms as number);
    expect(latency.p95_ms as number).toBeLessThanOrEqual(latency.p99_ms as number);
    expect(at(document, `${path}.submit_to_http_response.p50_ms`)).toBeGreaterThan(0);
  });

  it('runs each app from its compiled JavaScript and reports its resident memory after start and under load', () => {
    for (const target of ['ingest_alone_postgres', 'platform_postgres', 'platform_embedded']) {
      const run = at(document, `http_ingest.${target}`) as Json;
      expect(run).toMatchObject({ events: 40, clients: 4 });
      expect(run.rss_mb_after_start).toBeGreaterThan(0);
      expect(run.peak_rss_mb_under_load as number).toBeGreaterThanOrEqual(run.rss_mb_after_start as number);
      expect(at(run, 'latency.samples')).toBe(40);
    }
    expect(at(document, 'http_ingest.platform_embedded.database_pss_mb_under_load')).toBeGreaterThan(0);
  });

  it('puts the same HTTP load on a bare node:http server and an empty Nest route, the floor the apps are compared with', () => {
    for (const floor of ['node_http', 'nest_express']) {
      const run = at(document, `http_ingest.floor.${floor}`) as Json;
      expect(run).toMatchObject({ events: 40, clients: 4, database_pss_mb_under_load: null });
      expect(at(run, 'latency.samples')).toBe(40);
      expect(run.rss_mb_after_start).toBeGreaterThan(0);
    }
  });

  it.each(LATENCIES)('reports %s open-loop latency at the offered rate, to the answer and to the row, its warm-up apart', (path) => {
    for (const run of ['open_loop', 'open_loop_warm_up']) {
      expect(at(document, `${path}.${run}`)).toMatchObject({ offered_per_second: 20, submissions: 20, failed: 0 });
      expect(at(document, `${path}.${run}.submit_to_visible.samples`)).toBe(20);
      expect(at(document, `${path}.${run}.submit_to_http_response.samples`)).toBe(20);
      expect(at(document, `${path}.${run}.submit_to_http_response.p50_ms`)).toBeGreaterThan(0);
    }
  });

  it("reports the web app's bundle size and its render times in a real browser", () => {
    expect(at(document, 'web_app.bundle.js_bytes')).toBeGreaterThan(0);
    expect(at(document, 'web_app.bundle.js_gzip_bytes')).toBeLessThan(at(document, 'web_app.bundle.js_bytes') as number);
    for (const figure of ['subject_matrix_1000_patients_ms', 'sites_overview_10000_patients_ms']) {
      expect(at(document, `web_app.${figure}.runs`)).toHaveLength(1);
      expect(at(document, `web_app.${figure}.median`)).toBeGreaterThan(0);
    }
  });

  it('describes how each measurement was taken', () => {
    for (const section of ['store_append', 'emmett_peer', 'relay_publish', 'projection_catch_up', 'http_ingest', 'end_to_end_latency']) {
      expect(at(document, `${section}.method`)).toEqual(expect.stringMatching(/\w+/));
    }
  });

  it.each(MEMORY_PHASES)('samples peak RSS and heap during phase %s', (phase) => {
    const memory = at(document, `memory.${phase}`) as Json;
    expect(memory.peak_rss_mb).toBeGreaterThan(0);
    expect(memory.peak_heap_used_mb).toBeGreaterThan(0);
  });
});
