import { max, mean, min, quantileSorted } from 'simple-statistics';

/** A throughput measurement as the JSON reports it. */
export interface Throughput {
  events: number;
  seconds: number;
  events_per_second: number;
}

export interface LatencySummary {
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  min_ms: number;
  max_ms: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function throughput(events: number, elapsedMs: number): Throughput {
  const seconds = elapsedMs / 1000;
  return { events, seconds: round(seconds, 4), events_per_second: round(events / seconds, 1) };
}

/** Runs `work` and reports it as `events` events over its wall-clock time. */
export async function timed(events: number, work: () => Promise<void>): Promise<Throughput> {
  const started = performance.now();
  await work();
  return throughput(events, performance.now() - started);
}

/** How many times faster `measured` is than `reference` (above 1: faster). */
export function ratio(measured: Throughput, reference: Throughput): number {
  return round(measured.events_per_second / reference.events_per_second, 3);
}

export function latencySummary(samplesMs: number[]): LatencySummary {
  if (samplesMs.length === 0) throw new Error('no latency samples were taken');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50_ms: round(quantileSorted(sorted, 0.5), 2),
    p95_ms: round(quantileSorted(sorted, 0.95), 2),
    p99_ms: round(quantileSorted(sorted, 0.99), 2),
    mean_ms: round(mean(sorted), 2),
    min_ms: round(min(sorted), 2),
    max_ms: round(max(sorted), 2),
  };
}
