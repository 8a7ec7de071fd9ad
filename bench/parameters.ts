import { parseScale } from './scale-size';
import { parseArgs } from 'node:util';

/** Every size the benchmark takes; the defaults finish in about two minutes on two cores. */
export interface BenchSizes {
  /** Events per store-append measurement; the relay and projection phases replay twice this many. */
  events: number;
  /** Concurrent writers of the single-event measurements (group commit and one transaction per event). */
  concurrency: number;
  /** Events per transaction of the batched append and of the raw multi-row INSERT. */
  batchSize: number;
  /** Events in each simulated patient's history before the next patient starts. */
  eventsPerPatient: number;
  /** HTTP submissions timed per latency mode (Kafka and in-process). */
  latencySamples: number;
  /** Partitions of the benchmark's topics. */
  partitions: number;
  /** Events the relay reads and publishes per round, and messages per raw produce request. */
  relayPageSize: number;
  /** Timed HTTP submissions per target of the HTTP ingest phase. */
  httpRequests: number;
  /** Concurrent HTTP clients of the HTTP ingest phase. */
  httpClients: number;
  /** Submissions per second offered in the open-loop latency measurement. */
  openLoopRate: number;
  /** Seconds of open-loop load per delivery mode. */
  openLoopSeconds: number;
  /** Seconds of open-loop load at the same rate before the timed ones, reported apart (the apps' start-up under load). */
  openLoopWarmUpSeconds: number;
  /** Calls of each route in the scale phase. */
  scaleCalls: number;
  /** Browser loads per web-app render measurement (the median is reported). */
  webRuns: number;
}

export interface BenchParameters extends BenchSizes {
  /** Also write the JSON document to this file (`npm run bench` prints npm's banner on stdout; `npm run -s bench` does not). */
  out: string | null;
  /** Events of the opt-in scale phase (`--scale 1m`); null: not run. */
  scale: number | null;
}

interface SizeOption {
  flag: string;
  env: string;
  fallback: number;
  describe: string;
}

const SIZE_OPTIONS: Record<keyof BenchSizes, SizeOption> = {
  events: { flag: 'events', env: 'BENCH_EVENTS', fallback: 50_000, describe: 'events per store-append measurement' },
  concurrency: { flag: 'concurrency', env: 'BENCH_CONCURRENCY', fallback: 32, describe: 'concurrent single-event writers' },
  batchSize: { flag: 'batch-size', env: 'BENCH_BATCH_SIZE', fallback: 500, describe: 'events per batched transaction' },
  eventsPerPatient: { flag: 'events-per-patient', env: 'BENCH_EVENTS_PER_PATIENT', fallback: 20, describe: 'events per patient history' },
  latencySamples: { flag: 'latency-samples', env: 'BENCH_LATENCY_SAMPLES', fallback: 2000, describe: 'HTTP submissions timed per mode' },
  partitions: { flag: 'partitions', env: 'BENCH_PARTITIONS', fallback: 12, describe: 'partitions of the benchmark topics' },
  relayPageSize: {
    flag: 'relay-page-size',
    env: 'BENCH_RELAY_PAGE_SIZE',
    fallback: 500,
    describe: 'events per relay page and raw produce request',
  },
  httpRequests: { flag: 'http-requests', env: 'BENCH_HTTP_REQUESTS', fallback: 4000, describe: 'timed HTTP submissions per app target' },
  httpClients: { flag: 'http-clients', env: 'BENCH_HTTP_CLIENTS', fallback: 32, describe: 'concurrent HTTP clients' },
  openLoopRate: {
    flag: 'open-loop-rate',
    env: 'BENCH_OPEN_LOOP_RATE',
    fallback: 500,
    describe: 'submissions per second offered, open loop',
  },
  openLoopSeconds: {
    flag: 'open-loop-seconds',
    env: 'BENCH_OPEN_LOOP_SECONDS',
    fallback: 10,
    describe: 'seconds of open-loop load per mode',
  },
  openLoopWarmUpSeconds: {
    flag: 'open-loop-warm-up-seconds',
    env: 'BENCH_OPEN_LOOP_WARM_UP_SECONDS',
    fallback: 5,
    describe: 'seconds at the open-loop rate before the timed ones (reported as open_loop_warm_up)',
  },
  scaleCalls: { flag: 'scale-calls', env: 'BENCH_SCALE_CALLS', fallback: 1000, describe: 'calls of each route in the scale phase' },
  webRuns: { flag: 'web-runs', env: 'BENCH_WEB_RUNS', fallback: 3, describe: 'browser loads per web-app render measurement' },
};

export class ParameterError extends Error {}

function positiveInteger(option: SizeOption, raw: string | undefined): number {
  if (raw === undefined || raw === '') return option.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ParameterError(`--${option.flag} (or ${option.env}) must be a positive integer, got "${raw}"`);
  }
  return value;
}

export function usage(): string {
  const lines = Object.values(SIZE_OPTIONS).map(
    (option) => `  --${option.flag.padEnd(20)} ${option.describe} (env ${option.env}, default ${option.fallback})`,
  );
  return [
    'npm run -s bench -- [options]   (prints one JSON document on stdout, progress on stderr)',
    ...lines,
    `  --${'out'.padEnd(20)} also write the JSON document to this file`,
    `  --${'scale'.padEnd(20)} also run the scale phase with this many events (1m = 1,000,000; not in the default run)`,
    '  PostgreSQL: TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres); Kafka: TEST_KAFKA_BROKERS (default 127.0.0.1:9092)',
  ].join('\n');
}

/** Command-line flags win over environment variables, which win over the defaults. */
export function readParameters(argv: string[], env: NodeJS.ProcessEnv): BenchParameters {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.values(SIZE_OPTIONS).map((option) => [option.flag, { type: 'string' as const }])),
        out: { type: 'string' as const },
        scale: { type: 'string' as const },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ParameterError((error as Error).message);
  }
  const sizes = Object.fromEntries(
    Object.entries(SIZE_OPTIONS).map(([key, option]) => [key, positiveInteger(option, values[option.flag] ?? env[option.env])]),
  ) as unknown as BenchSizes;
  let scale: number | null = null;
  if (values.scale !== undefined) {
    try {
      scale = parseScale(values.scale);
    } catch (error) {
      throw new ParameterError((error as Error).message);
    }
  }
  return { ...sizes, out: values.out ?? null, scale };
}

/** The sizes under the names of their flags, snake_case like the rest of the report. */
export function sizesForReport(params: BenchSizes): Record<string, number> {
  return Object.fromEntries(
    Object.entries(SIZE_OPTIONS).map(([key, option]) => [option.flag.replace(/-/g, '_'), params[key as keyof BenchSizes]]),
  );
}
