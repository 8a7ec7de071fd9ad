import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page, Route } from 'playwright-core';
import { launchChromium } from '../test/web/browser';
import { buildWebApp } from '../test/web/web-platform';
import { progress } from './progress';

const DIST = resolve(__dirname, '../apps/web/dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const VISITS = [
  'Screening',
  'Baseline',
  'Cycle 1, infusion 1',
  'Cycle 1, infusion 2',
  'Cycle 1, infusion 3',
  'Cycle 1, infusion 4',
  'Month 3',
  'Month 6',
  'Month 9',
  'Month 12',
  'Month 15',
];
const STATUSES = ['done', 'done', 'done', 'overdue', 'due', 'upcoming'] as const;

export interface WebRenderResult {
  bundle: { js_bytes: number; js_gzip_bytes: number; css_bytes: number; files: number };
  subject_matrix_1000_patients_ms: { median: number; runs: number[] };
  sites_overview_10000_patients_ms: { median: number; runs: number[] };
  /** Wall-clock figures on a shared machine: the load while they were taken. */
  load_average_1m: number;
  method: string;
}

function bundleSize(): WebRenderResult['bundle'] {
  const assets = readdirSync(join(DIST, 'assets'));
  const sum = (ext: string, read: (file: string) => number) =>
    assets.filter((file) => file.endsWith(ext)).reduce((total, file) => total + read(join(DIST, 'assets', file)), 0);
  return {
    js_bytes: sum('.js', (file) => statSync(file).size),
    js_gzip_bytes: sum('.js', (file) => gzipSync(readFileSync(file)).length),
    css_bytes: sum('.css', (file) => statSync(file).size),
    files: assets.length,
  };
}

const date = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

function sitePatients(siteId: string, count: number) {
  return Array.from({ length: count }, (_, index) => ({
    patientId: `${siteId}-${String(index + 1).padStart(4, '0')}`,
    status: 'randomized',
    consentDate: date(index % 300),
    randomizationDate: date((index % 300) + 3),
    withdrawalDate: null,
    nextVisit: null,
    overdueVisits: [],
    schedule: VISITS.map((label, visit) => ({
      visitId: `v${visit}`,
      label,
      kind: visit > 1 && visit < 6 ? 'infusion' : 'assessment',
      status: STATUSES[(index + visit) % STATUSES.length],
      missingForms: (index + visit) % 7 === 0 ? ['lab:IGM'] : [],
    })),
    visits: { expected: 11, done: 5, due: 1, overdue: 1, missingForms: 1 },
    deviations: 0,
    adverseEvents: { total: 0, serious: 0 },
    queries: { open: index % 5 === 0 ? 1 : 0, answered: 0, closed: 0, cancelled: 0 },
    sourceDataVerification: { verified: 3, eligible: 6, share: 0.5 },
    codeBreaks: 0,
  }));
}

function siteIndicators(siteId: string) {
  const query = (count: number) => ({ count, oldestAgeDays: count ? 40 : null });
  return {
    siteId,
    name: `Site ${siteId}`,
    asOf: '2026-11-01',
    patients: { screened: 520, enrolled: 500, screenFailures: 20, randomized: 490, active: 470, withdrawn: 20 },
    visits: { expected: 5500, done: 4000, due: 300, overdue: 120, missingForms: 240 },
    dataEntryLatency: { count: 4000, median: 3, p90: 9, over5Days: 600 },
    deviations: { total: 35, byCode: {} },
    adverseEvents: { total: 60, serious: 6 },
    queries: { open: query(40), answered: query(10), closed: query(200), cancelled: query(3) },
    sourceDataVerification: { verified: 2000, eligible: 4000, share: 0.5 },
    codeBreaks: { events: 0, patients: 0 },
  };
}

/**
 * Answers the app's API calls with generated data of the API's shapes, and its files from apps/web/dist:
 * what is timed is the browser's work (download, parse, React and ECharts rendering) on this machine.
 */
async function serveSynthetic(page: Page, patientsPerSite: number, sites: number): Promise<void> {
  const siteIds = Array.from({ length: sites }, (_, index) => `S${String(index + 1).padStart(2, '0')}`);
  const patients = new Map(siteIds.map((siteId) => [siteId, sitePatients(siteId, patientsPerSite)]));
  const registry = siteIds.flatMap((siteId) =>
    patients
      .get(siteId)!
      .map((patient) => ({ patientId: patient.patientId, siteId, status: 'randomized', enrolledAt: patient.consentDate })),
  );
  const json = (route: Route, body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const path = url.pathname;
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (path === '/me') return json(route, { id: 'bench', name: 'Bench monitor', role: 'monitor', siteIds });
    if (path === '/events/stream') return route.fulfill({ status: 200, contentType: 'text/event-stream', body: '' });
    if (path === '/monitoring/sites') return json(route, { asOf: '2026-11-01', items: siteIds.map(siteIndicators) });
    if (path === '/registry/patients')
      return json(route, { items: registry.slice(offset, offset + limit), total: registry.length, limit, offset });
    const site = /^\/monitoring\/sites\/([^/]+)(\/.*)?$/.exec(path);
    if (site) {
      const [, siteId, rest] = site;
      if (!rest) return json(route, siteIndicators(siteId));
      if (rest === '/patients') {
        const items = patients.get(siteId) ?? [];
        return json(route, { asOf: '2026-11-01', items: items.slice(offset, offset + limit), total: items.length, limit, offset });
      }
      if (rest === '/queries')
        return json(route, {
          asOf: '2026-11-01',
          items: Array.from({ length: 40 }, (_, index) => ({ queryId: `q${index}`, ageDays: index * 2, status: 'open' })),
          total: 40,
          limit,
          offset,
        });
      if (rest === '/deviations') return json(route, { asOf: '2026-11-01', items: [], total: 0, limit, offset });
      return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not_found","message":"none","details":[]}' });
    }
    const file = path.startsWith('/assets/') ? join(DIST, path) : join(DIST, 'index.html');
    return route.fulfill({ status: 200, contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
}

async function timeRender(
  runCount: number,
  path: string,
  patientsPerSite: number,
  sites: number,
  ready: (page: Page) => Promise<void>,
): Promise<number[]> {
  const browser = await launchChromium();
  try {
    const runs: number[] = [];
    for (let run = 0; run < runCount; run++) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      await context.addInitScript("sessionStorage.setItem('trialstream.apiKey', 'bench')");
      const page = await context.newPage();
      await serveSynthetic(page, patientsPerSite, sites);
      const started = performance.now();
      await page.goto(`http://bench.invalid${path}`);
      await ready(page);
      runs.push(Math.round(performance.now() - started));
      await context.close();
    }
    return runs;
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The web app's figures: bundle size, and the time to a rendered subject matrix (1,000 patients) and sites overview (10,000). */
export async function measureWebRender(runs: number): Promise<WebRenderResult> {
  buildWebApp();
  progress('web: subject matrix of a site with 1,000 patients');
  const matrix = await timeRender(runs, '/app/monitor/sites/S01', 1000, 1, async (page) => {
    await page.getByTestId('matrix-count').filter({ hasText: '1000 patients' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="subject-matrix"] tbody tr[data-patient]').first().waitFor({ timeout: 60_000 });
  });
  progress('web: sites overview at 10,000 patients (20 sites)');
  const overview = await timeRender(runs, '/app/monitor', 500, 20, async (page) => {
    for (const chart of ['chart-enrolment', 'chart-overdue', 'chart-query-age', 'chart-latency', 'chart-sdv']) {
      await page.locator(`[data-testid="${chart}"] svg path`).nth(3).waitFor({ state: 'attached', timeout: 60_000 });
    }
  });
  return {
    bundle: bundleSize(),
    subject_matrix_1000_patients_ms: { median: median(matrix), runs: matrix },
    sites_overview_10000_patients_ms: { median: median(overview), runs: overview },
    load_average_1m: Number(loadavg()[0].toFixed(1)),
    method:
      "Debian Chromium (headless) loads the built app; API answers are generated in the API's shapes by the browser test harness, so the time is the browser's: navigation to the drawn page",
  };
}
