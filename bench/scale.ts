import { UserDirectory } from '@trialstream/auth';
import { createDataSource, openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import { patientStream } from '@trialstream/projections/testing/patient-stories';
import { PLATFORM_MIGRATIONS, PLATFORM_PROJECTIONS } from '../apps/platform/src/migrations';
import { createTestDatabase } from '../test/support/database';
import { startAppProcess } from './app-process';
import { BenchClient } from './bench-client';
import { releaseOnInterrupt } from './interrupt-cleanup';
import { appendRequest, coordinatorOf, history, type BenchPatient } from './patient-histories';
import { progress } from './progress';
import { latencySummary, throughput, type LatencySummary, type Throughput } from './stats';

export interface ScaleResults {
  method: string;
  events: number;
  patients: number;
  sites: number;
  load: Throughput;
  /** From the platform's start until every read model had applied the whole log. */
  catch_up_seconds: number;
  /** From then until the monitoring warm-up had folded today's figures of every site (its gauge at /metrics). */
  warm_up_seconds: number;
  /** Resident memory of the platform's process once every route was called (what it keeps at this size). */
  rss_mb_after_calls: number;
  /**
   * What that resident memory holds, from the platform's /metrics at the same moment: V8's heap in use (live
   * objects and garbage not yet collected) and reserved, and memory outside the heap (buffers).
   */
  heap_mb_after_calls: { used: number; total: number; external: number };
  /**
   * What V8's last full collection (mark-compact) before that moment left in the heap, from the platform's
   * `--trace-gc` lines: the live objects, without the garbage that `heap_mb_after_calls.used` may hold up to the
   * heap's growth bound, so two runs compare. Null if none ran.
   */
  heap_mb_kept_by_last_full_collection: number | null;
  routes: Record<string, LatencySummary>;
}

const METHOD =
  "Opt-in (--scale 1m): a fresh database filled through the store's batched append (whole patient histories, 500 " +
  'events per transaction) with N events over N/100 patients (at most 10,000) and 20 sites; then the compiled ' +
  'platform on it (no DATABASE_URL change, in-process delivery) catches every read model up; its monitoring warm-up ' +
  "folds today's figures of every site (trialstream_monitoring_sites_today at /metrics); then each monitoring, " +
  'registry and analysis route is called C times one after another by a monitor of all sites or a blinded ' +
  'statistician, and its latency reported. The platform runs with --trace-gc: the heap its last full collection ' +
  'kept before the memory reading is taken from those lines.';

const SITES = 20;
const BATCH = 500;

function scalePatient(index: number): BenchPatient {
  const siteId = `S${String((index % SITES) + 1).padStart(2, '0')}`;
  const screeningNumber = String(index).padStart(5, '0');
  return { siteId, screeningNumber, streamId: patientStream(siteId, screeningNumber) };
}

export async function measureScale(events: number, calls: number): Promise<ScaleResults> {
  const database = await createTestDatabase('bench_scale');
  const forget = releaseOnInterrupt(() => database.drop());
  try {
    const filled = await fillScaleDatabase(database.url, events);
    progress('scale: starting the compiled platform and catching its read models up');
    const platformStarted = performance.now();
    const app = await startAppProcess('platform_postgres', { databaseUrl: database.url, nodeArgs: ['--trace-gc'] });
    const fullCollections = new LastFullCollection();
    app.onOutput((text) => fullCollections.read(text));
    try {
      await caughtUp(database.url);
      const catchUpSeconds = Number(((performance.now() - platformStarted) / 1000).toFixed(1));
      const caughtUpAt = performance.now();
      await monitoringWarm(app.url);
      const warmUpSeconds = Number(((performance.now() - caughtUpAt) / 1000).toFixed(1));
      const routes = await callScaleRoutes(app.url, filled.tokens, calls);
      return {
        method: METHOD,
        events: filled.load.events,
        patients: filled.patients,
        sites: SITES,
        load: filled.load,
        catch_up_seconds: catchUpSeconds,
        warm_up_seconds: warmUpSeconds,
        rss_mb_after_calls: app.rssMb(),
        heap_mb_after_calls: await heapOf(app.url),
        heap_mb_kept_by_last_full_collection: fullCollections.keptMb,
        routes,
      };
    } finally {
      await app.stop();
    }
  } finally {
    await database.drop();
    forget();
  }
}

/** The Authorization header values of the scale phase's readers. */
export interface ScaleReaders {
  monitor: string;
  statistician: string;
}

/** Fills an empty platform database with `events` events of whole patient histories, and the readers who will call the routes. */
export async function fillScaleDatabase(
  url: string,
  events: number,
): Promise<{ load: Throughput; patients: number; tokens: ScaleReaders }> {
  const patients = Math.max(SITES, Math.min(10_000, Math.round(events / 100)));
  const perPatient = Math.ceil(events / patients);
  const dataSource = await openDatabase({
    url,
    migrations: PLATFORM_MIGRATIONS,
    poolSize: 4,
    applicationName: 'trialstream-bench-scale',
  });
  try {
    const store = new PostgresEventStore(dataSource, { upcast: upcastStoredEvent });
    progress(`scale: appending ${events} events for ${patients} patients at ${SITES} sites`);
    const started = performance.now();
    let written = 0;
    let batch: ReturnType<typeof appendRequest>[] = [];
    let inBatch = 0;
    for (let index = 0; index < patients && written < events; index++) {
      const count = Math.min(perPatient, events - written);
      const patient = scalePatient(index);
      batch.push(appendRequest(patient, 0, history(patient, 1, count), coordinatorOf(index % SITES)));
      inBatch += count;
      written += count;
      if (inBatch >= BATCH) {
        await store.appendBatch(batch);
        batch = [];
        inBatch = 0;
      }
    }
    if (batch.length > 0) await store.appendBatch(batch);
    const load = throughput(written, performance.now() - started);
    const users = new UserDirectory(dataSource);
    const siteIds = Array.from({ length: SITES }, (_, index) => `S${String(index + 1).padStart(2, '0')}`);
    const monitor = `Bearer ${(await users.createUser({ name: 'scale monitor', role: 'monitor', siteIds })).token}`;
    const statistician = `Bearer ${(await users.createUser({ name: 'scale statistician', role: 'blinded_statistician', siteIds: [] })).token}`;
    return { load, patients, tokens: { monitor, statistician } };
  } finally {
    await dataSource.destroy();
  }
}

/** Calls each route `calls` times one after another and summarises its latencies. */
export async function callScaleRoutes(
  url: string,
  { monitor, statistician }: ScaleReaders,
  calls: number,
): Promise<Record<string, LatencySummary>> {
  const http = new BenchClient(url);
  try {
    const routes: Array<[string, string]> = [
      ['/monitoring/sites', monitor],
      ['/monitoring/sites/S01', monitor],
      ['/monitoring/sites/S01/patients', monitor],
      ['/monitoring/sites/S01/deviations', monitor],
      ['/monitoring/sites/S01/queries', monitor],
      ['/registry/patients?siteId=S01', monitor],
      ['/registry/sites', monitor],
      ['/analysis/patients', statistician],
      ['/analysis/endpoints', statistician],
      ['/analysis/safety', statistician],
    ];
    const results: Record<string, LatencySummary> = {};
    for (const [path, token] of routes) {
      progress(`scale: ${calls} calls of GET ${path}`);
      const samples: number[] = [];
      for (let call = 0; call < calls; call++) {
        const sent = performance.now();
        await http.get(path, token);
        samples.push(performance.now() - sent);
      }
      results[path] = latencySummary(samples);
    }
    return results;
  } finally {
    http.close();
  }
}

/** The process's own metrics at /metrics (prom-client's defaults, prefixed `trialstream_process_`). */
const metricsOf = async (url: string): Promise<string> => (await fetch(`${url}/metrics`)).text();

const megabytes = (metrics: string, name: string): number =>
  Number((Number(new RegExp(`^trialstream_process_${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576).toFixed(1));

async function heapOf(url: string): Promise<ScaleResults['heap_mb_after_calls']> {
  const metrics = await metricsOf(url);
  return {
    used: megabytes(metrics, 'nodejs_heap_size_used_bytes'),
    total: megabytes(metrics, 'nodejs_heap_size_total_bytes'),
    external: megabytes(metrics, 'nodejs_external_memory_bytes'),
  };
}

/**
 * The heap a V8 `--trace-gc` output says its last full collection kept: in a line such as
 * `Mark-Compact 13.9 (18.5) -> 10.6 (19.4) MB, ...`, the size after the arrow. Lines may arrive split across chunks.
 */
export class LastFullCollection {
  keptMb: number | null = null;
  private partial = '';

  read(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const kept = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
      if (kept) this.keptMb = Number(kept[1]);
    }
  }
}

/** Until the monitoring warm-up's last round left no site's figures for today to fold (10 minutes at most: it may be off). */
async function monitoringWarm(url: string): Promise<void> {
  const deadline = performance.now() + 600_000;
  while (performance.now() < deadline) {
    const metrics = await metricsOf(url);
    const sites = (figures: string) =>
      Number(new RegExp(`^trialstream_monitoring_sites_today\\{figures="${figures}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    if (sites('stale') === 0 && sites('kept') > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  progress('scale: the monitoring warm-up did not finish within 10 minutes (MONITORING_WARM_UP_SECONDS=0?); calling the routes');
}

/** Every projection's checkpoint at the log's last position. */
export async function caughtUp(url: string): Promise<void> {
  // A reader of the platform's tables: it migrates nothing (the platform did).
  const dataSource = createDataSource({ url, migrations: [], poolSize: 1, applicationName: 'trialstream-bench-scale-watch' });
  await dataSource.initialize();
  try {
    const checkpoints = PLATFORM_PROJECTIONS.map((projection) => `(SELECT global_position FROM "${projection.schema}"._checkpoint)`).join(
      ', ',
    );
    for (;;) {
      const [row] = await dataSource.query(
        `SELECT (SELECT coalesce(max(global_position), 0) FROM event_store.events) AS head, least(${checkpoints}) AS slowest`,
      );
      if (BigInt(row.slowest) >= BigInt(row.head)) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await dataSource.destroy();
  }
}
