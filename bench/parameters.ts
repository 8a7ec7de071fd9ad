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
  /** Browser loads per web-app render measurement (the median is reported). */
  webRuns: number;
}

export interface BenchParameters extends BenchSizes {
  /** Also write the JSON document to this file (`npm run bench` prints npm's banner on stdout; `npm run -s bench` does not). */
  out: string | null;
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
  relayPageSize: { flag: 'relay-page-size', env: 'BENCH_RELAY_PAGE_SIZE', fallback: 500, describe: 'events per relay page and raw produce request' },
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
  return { ...sizes, out: values.out ?? null };
}

/** The sizes under the names of their flags, snake_case like the rest of the report. */
export function sizesForReport(params: BenchSizes): Record<string, number> {
  return Object.fromEntries(Object.entries(SIZE_OPTIONS).map(([key, option]) => [option.flag.replace(/-/g, '_'), params[key as keyof BenchSizes]]));
}
