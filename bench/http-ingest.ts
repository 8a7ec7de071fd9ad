import { enrolmentBody, labBody, siteBody } from '../test/ingest/site-api';
import { listeningUrl } from '../test/support/app-process';
import { rssOf, spawnBenchNode, START_TIMEOUT_MS, startAppProcess, stopChild, type AppTarget } from './app-process';
import { BenchClient } from './bench-client';
import { releaseOnInterrupt } from './interrupt-cleanup';
import type { BenchParameters } from './parameters';
import { progress } from './progress';
import { latencySummary, ratio, throughput, type LatencySummary, type Throughput } from './stats';

export interface HttpIngestRun extends Throughput {
  clients: number;
  latency: LatencySummary;
  /** Resident memory of the app's process once it is started and set up, and its peak under the load. */
  rss_mb_after_start: number;
  peak_rss_mb_under_load: number;
  /** The embedded PostgreSQL server's own memory (proportional set size of its processes); null on the shared server. */
  database_pss_mb_under_load: number | null;
}

/** The servers of bench/http-floor-app.js. */
type HttpFloor = 'node_http' | 'nest_express';

export interface HttpIngestResults {
  method: string;
  ingest_alone_postgres: HttpIngestRun;
  platform_postgres: HttpIngestRun;
  platform_embedded: HttpIngestRun;
  /** The same load against servers that do none of the platform's work: the framework's own ceiling. */
  floor: Record<HttpFloor, HttpIngestRun>;
  ratios: {
    ingest_alone_vs_raw_transaction_per_event: number;
    /** The share of the framework's own rate that the platform's work per submission leaves. */
    ingest_alone_vs_nest_express_floor: number;
    nest_express_floor_vs_raw_transaction_per_event: number;
    nest_express_floor_vs_node_http_floor: number;
    platform_postgres_vs_raw_transaction_per_event: number;
    platform_embedded_vs_raw_transaction_per_event: number;
    platform_embedded_vs_platform_postgres: number;
  };
}

const METHOD =
  'Each target runs as its own process from the compiled dist/ (what npm start runs, NODE_ENV=production): the ' +
  'ingest app alone and the whole platform on a fresh database of the shared PostgreSQL, and the whole platform on ' +
  'its embedded PostgreSQL server (no DATABASE_URL). N concurrent HTTP clients (node:http keep-alive, the same client as the latency phases), each ' +
  'posting lab results to its own enrolled patients one request after another (after a warm-up of half as many ' +
  'requests, not timed), through authentication, validation, ' +
  'decision, append (group commit) and the submission record; one event per request. Requests per second against ' +
  'store_append.raw_transaction_per_event of the same run. RSS of the app process from /proc; the load generator ' +
  'and PostgreSQL share the same two cores. floor: the same load against bench/http-floor-app.js, node:http alone ' +
  "(parse the JSON body, answer 201) and an empty Nest route on Express (Nest's body parser, path parameter and " +
  "body bound, 201), each its own process: what the framework costs before any of the platform's work.";

const SITE = 'H01';
const PATIENTS_PER_CLIENT = 2;

/** The timed load every target gets: a warm-up, then `requests` lab results from `clients` clients, RSS sampled. */
async function drive(
  server: { rssMb(): number; databaseRssMb(): number | null },
  http: BenchClient,
  token: string,
  patientsOf: string[][],
  requests: number,
): Promise<HttpIngestRun> {
  const clients = patientsOf.length;
  const client = async (index: number, count: number, latencies: number[] | null) => {
    const patients = patientsOf[index];
    for (let sent = 0; sent < count; sent++) {
      const started = performance.now();
      await http.post(`/patients/${patients[sent % patients.length]}/labs`, token, labBody({ value: 5 + (sent % 20) }));
      latencies?.push(performance.now() - started);
    }
  };
  const share = (total: number, index: number) => Math.floor(total / clients) + (index < total % clients ? 1 : 0);
  // Half as many as the timed requests: after a tenth, the empty Nest route still ran 35-60% below its later rate
  // (V8 had not yet compiled its paths), which made the framework look like the bound; the ingest app moved little.
  const warmUp = Math.max(clients, Math.floor(requests / 2));
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index, share(warmUp, index), null)));
  const afterStart = server.rssMb();

  let peak = afterStart;
  let databasePeak: number | null = server.databaseRssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
    const database = server.databaseRssMb();
    if (database !== null) databasePeak = Math.max(databasePeak ?? 0, database);
  }, 100);
  const latencies: number[] = [];
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index, share(requests, index), latencies)));
  } finally {
    clearInterval(sampler);
  }
  const elapsed = performance.now() - started;
  peak = Math.max(peak, server.rssMb());
  return {
    ...throughput(requests, elapsed),
    clients,
    latency: latencySummary(latencies),
    rss_mb_after_start: afterStart,
    peak_rss_mb_under_load: peak,
    database_pss_mb_under_load: databasePeak,
  };
}

async function loadOne(target: AppTarget, requests: number, clients: number): Promise<HttpIngestRun> {
  progress(`http ingest (${target}): starting the compiled app`);
  const app = await startAppProcess(target);
  const http = new BenchClient(app.url);
  const post = (path: string, token: string, body: object) => http.post(path, token, body);
  try {
    await post('/sites', app.adminToken, siteBody(SITE));
    const coordinator = `Bearer ${String((await post('/users', app.adminToken, { name: 'bench coordinator', role: 'site_coordinator', siteIds: [SITE] })).token)}`;
    const patientsOf = await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        const ids: string[] = [];
        for (let index = 0; index < PATIENTS_PER_CLIENT; index++) {
          const screening = `C${String(client).padStart(2, '0')}${index}`;
          ids.push(String((await post(`/sites/${SITE}/patients`, coordinator, enrolmentBody(screening))).patientId));
        }
        return ids;
      }),
    );
    progress(`http ingest (${target}): ${requests} requests from ${clients} clients`);
    return await drive(app, http, coordinator, patientsOf, requests);
  } finally {
    http.close();
    await app.stop();
  }
}

/** The same load against a floor server (bench/http-floor-app.js): the same paths and bodies, nothing behind them. */
async function loadFloor(floor: HttpFloor, requests: number, clients: number): Promise<HttpIngestRun> {
  progress(`http ingest floor (${floor}): ${requests} requests from ${clients} clients`);
  const child = spawnBenchNode('bench/http-floor-app.js', {
    ...process.env,
    BENCH_HTTP_FLOOR: floor,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
  });
  const forget = releaseOnInterrupt(() => stopChild(child));
  try {
    const { url } = await listeningUrl(child, `http floor (${floor})`, START_TIMEOUT_MS);
    const http = new BenchClient(url);
    try {
      const patientsOf = Array.from({ length: clients }, (_, client) =>
        Array.from({ length: PATIENTS_PER_CLIENT }, (_, index) => `${SITE}-C${String(client).padStart(2, '0')}${index}`),
      );
      return await drive({ rssMb: () => rssOf(child.pid!), databaseRssMb: () => null }, http, 'Bearer floor', patientsOf, requests);
    } finally {
      http.close();
    }
  } finally {
    await stopChild(child);
    forget();
  }
}

/** HTTP submissions per second through the whole stack, for each way the app runs, against raw PostgreSQL. */
export async function measureHttpIngest(params: BenchParameters, rawPerEvent: Throughput): Promise<HttpIngestResults> {
  const ingestAlone = await loadOne('ingest_alone_postgres', params.httpRequests, params.httpClients);
  const platformPostgres = await loadOne('platform_postgres', params.httpRequests, params.httpClients);
  const platformEmbedded = await loadOne('platform_embedded', params.httpRequests, params.httpClients);
  const floor = {
    node_http: await loadFloor('node_http', params.httpRequests, params.httpClients),
    nest_express: await loadFloor('nest_express', params.httpRequests, params.httpClients),
  };
  return {
    method: METHOD,
    ingest_alone_postgres: ingestAlone,
    platform_postgres: platformPostgres,
    platform_embedded: platformEmbedded,
    floor,
    ratios: {
      ingest_alone_vs_raw_transaction_per_event: ratio(ingestAlone, rawPerEvent),
      ingest_alone_vs_nest_express_floor: ratio(ingestAlone, floor.nest_express),
      nest_express_floor_vs_raw_transaction_per_event: ratio(floor.nest_express, rawPerEvent),
      nest_express_floor_vs_node_http_floor: ratio(floor.nest_express, floor.node_http),
      platform_postgres_vs_raw_transaction_per_event: ratio(platformPostgres, rawPerEvent),
      platform_embedded_vs_raw_transaction_per_event: ratio(platformEmbedded, rawPerEvent),
      platform_embedded_vs_platform_postgres: ratio(platformEmbedded, platformPostgres),
    },
  };
}
