import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at GET /metrics. Modules add theirs here; values
 * that live elsewhere (the relay's position, a projection's lag) are read at scrape time by `collect`.
 * One registry per application, so that several apps in one process (tests) never collide.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'trialstream_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly projectionBatchDuration = new Histogram({
    name: 'trialstream_projection_batch_duration_seconds',
    help: 'Time to apply one batch of events to a projection',
    labelNames: ['projection'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly projectionEventsApplied = new Counter({
    name: 'trialstream_projection_events_applied_total',
    help: 'Events applied to a projection by this process',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'trialstream_process_' });
  }

  /** A counter that mirrors a running total kept elsewhere (the store's append count), read at scrape time. */
  counter(name: string, help: string, read: () => number): void {
    if (this.registry.getSingleMetric(name)) return;
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        const total = read();
        if (total > seen) this.inc(total - seen);
        seen = Math.max(seen, total);
      },
    });
  }

  /** A gauge whose value is read when Prometheus scrapes; `read` sets one value per label set. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (set: (labels: Record<L, string>, value: number) => void) => Promise<void> | void,
  ): void {
    if (this.registry.getSingleMetric(name)) return;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        // A source that cannot answer now (database or broker down) leaves its gauge empty for this scrape
        // rather than failing the whole scrape.
        await Promise.resolve(read((labels, value) => this.set(labels as never, value))).catch(() => undefined);
      },
    });
  }
}
