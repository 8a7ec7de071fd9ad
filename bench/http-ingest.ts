import { enrolmentBody, labBody, siteBody } from '../test/ingest/site-api';
import { startAppProcess, type AppTarget } from './app-process';
import { BenchClient } from './bench-client';
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

export interface HttpIngestResults {
  method: string;
  ingest_alone_postgres: HttpIngestRun;
  platform_postgres: HttpIngestRun;
  platform_embedded: HttpIngestRun;
  ratios: {
    ingest_alone_vs_raw_transaction_per_event: number;
    platform_postgres_vs_raw_transaction_per_event: number;
    platform_embedded_vs_raw_transaction_per_event: number;
    platform_embedded_vs_platform_postgres: number;
  };
}

const METHOD =
  'Each target runs as its own process from the compiled dist/ (what npm start runs, NODE_ENV=production): the ' +
  'ingest app alone and the whole platform on a fresh database of the shared PostgreSQL, and the whole platform on ' +
  'its embedded PostgreSQL server (no DATABASE_URL). N concurrent HTTP clients (node:http keep-alive, the same client as the latency phases), each ' +
  'posting lab results to its own enrolled patients one request after another, through authentication, validation, ' +
  'decision, append (group commit) and the submission record; one event per request. Requests per second against ' +
  'store_append.raw_transaction_per_event of the same run. RSS of the app process from /proc; the load generator ' +
  'and PostgreSQL share the same two cores.';

const SITE = 'H01';
const PATIENTS_PER_CLIENT = 2;

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
    const client = async (index: number, count: number, latencies: number[] | null) => {
      const patients = patientsOf[index];
      for (let sent = 0; sent < count; sent++) {
        const started = performance.now();
        await post(`/patients/${patients[sent % patients.length]}/labs`, coordinator, labBody({ value: 5 + (sent % 20) }));
        latencies?.push(performance.now() - started);
      }
    };
    const share = (total: number, index: number) => Math.floor(total / clients) + (index < total % clients ? 1 : 0);
    const warmUp = Math.max(clients, Math.floor(requests / 10));
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index, share(warmUp, index), null)));
    const afterStart = app.rssMb();

    progress(`http ingest (${target}): ${requests} requests from ${clients} clients`);
    let peak = afterStart;
    let databasePeak: number | null = app.databaseRssMb();
    const sampler = setInterval(() => {
      peak = Math.max(peak, app.rssMb());
      const database = app.databaseRssMb();
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
    peak = Math.max(peak, app.rssMb());
    return {
      ...throughput(requests, elapsed),
      clients,
      latency: latencySummary(latencies),
      rss_mb_after_start: afterStart,
      peak_rss_mb_under_load: peak,
      database_pss_mb_under_load: databasePeak,
    };
  } finally {
    http.close();
    await app.stop();
  }
}

/** HTTP submissions per second through the whole stack, for each way the app runs, against raw PostgreSQL. */
export async function measureHttpIngest(params: BenchParameters, rawPerEvent: Throughput): Promise<HttpIngestResults> {
  const ingestAlone = await loadOne('ingest_alone_postgres', params.httpRequests, params.httpClients);
  const platformPostgres = await loadOne('platform_postgres', params.httpRequests, params.httpClients);
  const platformEmbedded = await loadOne('platform_embedded', params.httpRequests, params.httpClients);
  return {
    method: METHOD,
    ingest_alone_postgres: ingestAlone,
    platform_postgres: platformPostgres,
    platform_embedded: platformEmbedded,
    ratios: {
      ingest_alone_vs_raw_transaction_per_event: ratio(ingestAlone, rawPerEvent),
      platform_postgres_vs_raw_transaction_per_event: ratio(platformPostgres, rawPerEvent),
      platform_embedded_vs_raw_transaction_per_event: ratio(platformEmbedded, rawPerEvent),
      platform_embedded_vs_platform_postgres: ratio(platformEmbedded, platformPostgres),
    },
  };
}
