import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { eventually, hasText, inspect, lacksText, launchChromium, open, signIn, UserPage } from './browser';
import { PASSWORD } from './accounts';
import { SECRET_ARMS, SECRET_CD19, seedTrial, SeededTrial } from './seed';
import { startWebPlatform, WebPlatform } from './web-platform';

/**
 * The web app in Debian's Chromium against the real platform (`npm start`'s process, fresh database):
 * each role's work through its pages, live updates, blinding of what the browser receives, and
 * accessibility (axe-core) of every page, with a screenshot of each under test-output/web.
 */
jest.setTimeout(180_000);

let platform: WebPlatform;
let seeded: SeededTrial;
let browser: Browser;
const violations: string[] = [];
const open_: UserPage[] = [];

async function as(role: string): Promise<UserPage> {
  const user = await signIn(browser, platform.url, seeded.accounts[role]);
  open_.push(user);
  return user;
}

async function look(page: Page, name: string): Promise<void> {
  violations.push(...(await inspect(page, name)));
}

const field = (scope: Pick<Page, 'locator'>, name: string) => scope.locator(`.field:has([name="${name}"])`);

beforeAll(async () => {
  platform = await startWebPlatform();
  seeded = await seedTrial(platform);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  for (const user of open_) await user.close().catch(() => undefined);
  await browser?.close();
  await platform?.close();
});

// A script error fails the test it happened in, once.
afterEach(() => {
  for (const user of open_) expect(user.errors.splice(0)).toEqual([]);
});

test('the platform serves the app at / and under /app, and an unknown API route still answers the API 404', async () => {
  const root = await fetch(`${platform.url}/`);
  expect(root.headers.get('content-type')).toContain('text/html');
  const deep = await fetch(`${platform.url}/app/patients/S01-001`);
  expect(await deep.text()).toContain('<div id="root">');
  const unknown = await fetch(`${platform.url}/no-such-route`, { headers: await seeded.accounts.monitor.headers() });
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toContain('application/json');
  // Who a key's holder is, for a browser or a script signed in with an API key.
  const me = await platform.call<{ role: string }>({ Authorization: `Bearer ${platform.adminKey}` }, 'GET', '/me');
  expect(me).toMatchObject({ status: 200, body: { role: 'administrator' } });
});

test('a coordinator enrols a patient, sees field errors beside their fields (browser rules, then the server) and records each event through the forms', async () => {
  const { page } = await as('site_coordinator');
  await page.getByRole('heading', { name: 'Site S01: subjects' }).waitFor();
  await page.getByTestId('subject-matrix').getByRole('link', { name: 'S01-001' }).waitFor();
  await look(page, 'coordinator-subjects');

  const enrolments: string[] = [];
  page.on(
    'request',
    (request) => void (request.method() === 'POST' && request.url().endsWith('/sites/S01/patients') && enrolments.push(request.url())),
  );
  const form = page.getByTestId('enrolment-form');
  await form.getByLabel('Screening number').fill('00-2');
  await form.getByLabel('Sex').selectOption('male');
  await form.getByLabel('Birth year').fill('1850');
  await form.getByLabel('Height (cm)').fill('180');
  await form.getByLabel('Weight (kg)').fill('82');
  await form.getByRole('button', { name: 'Enrol' }).click();
  // The domain's own rule, run in the browser: nothing was sent.
  await hasText(field(form, 'birthYear').locator('.field-error'), 'out-of-range');
  expect(enrolments).toHaveLength(0);
  await look(page, 'coordinator-enrolment-error');

  await form.getByLabel('Birth year').fill('1961');
  await form.getByRole('button', { name: 'Enrol' }).click();
  // The server's request rule (the screening number's pattern), shown beside its field.
  await hasText(field(form, 'screeningNumber').locator('.field-error'), /matches/);
  expect(enrolments).toHaveLength(1);

  await form.getByLabel('Screening number').fill('002');
  await form.getByRole('button', { name: 'Enrol' }).click();
  await page.getByRole('heading', { name: 'Patient S01-002' }).waitFor();

  await page.getByRole('button', { name: 'Randomize' }).click();
  await eventually(async () => expect(await page.getByTestId('patient-status').innerText()).toBe('randomized'));

  const record = async (tab: string, testId: string, fill: (form: ReturnType<Page['getByTestId']>) => Promise<void>) => {
    await page.getByRole('group', { name: 'Form' }).getByRole('button', { name: tab }).click();
    const entry = page.getByTestId(testId);
    await fill(entry);
    await entry.getByRole('button', { name: 'Save' }).click();
    await entry.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  };
  await record('Infusion', 'form-infusion', async (entry) => {
    await entry.getByLabel('Dose level (mg/m²)').selectOption('375');
    await entry.getByLabel('Administered dose (mg)').fill('760');
  });
  await record('Laboratory result', 'form-lab', async (entry) => {
    await entry.getByLabel('Analyte').selectOption('IGM');
    await entry.getByLabel('Value').fill('11.2');
    await entry.getByLabel('Unit').selectOption('BTU');
    await entry.getByRole('button', { name: 'Save' }).click();
    await hasText(entry.locator('.field:has([name="unit"]) .field-error'), 'unit-not-allowed');
    await entry.getByLabel('Unit').selectOption('g/L');
  });
  await record('Nerve conduction study', 'form-neurography', async (entry) => {
    await entry.getByLabel('Limb temperature (°C)').fill('33');
    await entry.locator('[name="nerves[0].motorConductionVelocityMs"]').fill('35');
    await entry.locator('[name="nerves[1].snapAmplitudeUv"]').fill('4');
  });
  await record('Clinical assessment', 'form-assessment', async (entry) => {
    await entry.getByLabel('Assessor').fill('assessor-2');
    await entry.getByLabel('INCAT arms').fill('1');
    await entry.getByLabel('INCAT legs').fill('1');
    await entry.getByLabel('Sensory sum score').fill('10');
    await entry.getByLabel('MRC sum score').fill('55');
  });
  await record('Adverse event', 'form-adverse-event', async (entry) => {
    await entry.getByLabel('Term').fill('Headache');
    await entry.getByLabel('Grade (1-5)').fill('1');
    await entry.getByLabel('Relatedness').selectOption('possible');
  });
  const timeline = page.getByTestId('timeline');
  for (const type of ['InfusionGiven', 'LabResulted', 'NeurographyRecorded', 'ClinicalAssessed', 'AdverseEventReported']) {
    await hasText(timeline, type);
  }
  await look(page, 'coordinator-patient');

  await record('Withdrawal', 'form-withdrawal', async (entry) => {
    await entry.getByLabel('Reason').fill('Moved abroad');
  });
  await eventually(async () => expect(await page.getByTestId('patient-status').innerText()).toBe('withdrawn'));
});

test('a monitor sees the subject matrix and a plot update live, raises a query that the coordinator answers, and closes it', async () => {
  const monitor = await as('monitor');
  const page = monitor.page;
  await open(page, '/app/monitor', 'Sites overview');
  const chart = page.getByTestId('chart-enrolment');
  await chart.locator('svg path').first().waitFor({ state: 'attached' });
  const before = await chart.innerHTML();
  await look(page, 'monitor-overview');

  // Another patient enrolled at the site: the overview redraws without a reload (server-sent events).
  const coordinator = await seeded.accounts.site_coordinator.headers();
  const enrolled = await platform.call(coordinator, 'POST', '/sites/S01/patients', {
    submissionId: randomUUID(),
    occurredAt: '2026-05-02',
    screeningNumber: '003',
    consentDate: '2026-05-01',
    eligibility: {
      met: true,
      criteria: [
        { code: 'ANTI_MAG_ABOVE_1000_BTU', met: true },
        { code: 'SENSORY_SUM_AT_LEAST_4', met: true },
      ],
    },
    heightCm: 165,
    weightKg: 60,
    sex: 'female',
    birthYear: 1950,
  });
  expect(enrolled.status).toBe(201);
  await eventually(async () => expect(await chart.innerHTML()).not.toBe(before), 20_000);
  const enrolledAtS01 = page.getByTestId('sites-table').getByRole('row', { name: /S01/ }).locator('td').nth(1);
  await eventually(async () => expect(await enrolledAtS01.innerText()).toBe('3'));

  await open(page, '/app/monitor/sites/S01', 'Site S01');
  const matrix = page.getByTestId('subject-matrix');
  for (const patient of ['S01-001', 'S01-002', 'S01-003']) await matrix.getByRole('link', { name: patient }).waitFor();
  await look(page, 'monitor-site');

  await open(page, `/app/patients/${seeded.patientId}`, `Patient ${seeded.patientId}`);
  await page.getByTestId('chart-igm').locator('svg').waitFor();
  await page.locator(`tr[data-event="${seeded.igmEventId}"]`).getByRole('button', { name: 'Raise query' }).click();
  const query = page.getByTestId('query-form');
  await query.getByLabel('Field').selectOption('value');
  await query.getByLabel('Query').fill('Please confirm the IgM value against the laboratory report');
  await query.getByRole('button', { name: 'Raise query' }).click();
  await hasText(page.getByTestId('queries'), 'open');
  await look(page, 'monitor-patient');

  const site = await as('site_coordinator');
  await open(site.page, '/app/site/S01/queries', 'Site S01: query inbox');
  const row = site.page.getByTestId('queries').getByRole('row', { name: /Please confirm the IgM value/ });
  await row.getByLabel('Answer').fill('Confirmed against the source document');
  await row.getByRole('button', { name: 'Send answer' }).click();
  await site.page.getByRole('heading', { name: 'Open queries (0)' }).waitFor();
  await look(site.page, 'coordinator-query-inbox');

  // The monitor's page learns of the answer by itself, then the monitor closes the query.
  const answered = page.getByTestId('queries').getByRole('row', { name: /Confirmed against the source document/ });
  await answered.getByRole('button', { name: 'Close' }).click();
  await hasText(page.getByTestId('queries'), 'closed');

  await open(page, '/app/monitor/sites/S01/sdv', 'Site S01: source data verification');
  const box = page.getByTestId('sdv-table').getByRole('checkbox').first();
  await box.click();
  await eventually(async () => expect(await box.isDisabled()).toBe(true));
  await page.getByRole('heading', { name: /^1 of \d+ forms verified$/ }).waitFor();
  await look(page, 'monitor-sdv');
});

test('an auditor reads the log, opens the record as it stood before a correction, verifies and finds the exports', async () => {
  const coordinator = await seeded.accounts.site_coordinator.headers();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const beforeCorrection = new Date();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const corrected = await platform.call(coordinator, 'POST', `/patients/${seeded.patientId}/corrections`, {
    submissionId: randomUUID(),
    correctedEventId: seeded.igmEventId,
    occurredAt: '2026-03-04',
    reason: 'Transcription error: 13.1 on the report',
    data: { analyte: 'IGM', value: 13.1, unit: 'g/L', qualifier: '=' },
  });
  expect(corrected.status).toBe(201);

  const { page } = await as('auditor');
  await open(page, '/app/audit', 'Audit log');
  // Only the rows in view are in the page: the filter brings the correction into view.
  await page.getByLabel('Event type').selectOption('EntryCorrected');
  await page.getByRole('heading', { name: /^1 of \d+ events$/ }).waitFor();
  await hasText(page.getByTestId('audit-log'), 'EntryCorrected');
  await look(page, 'auditor-log');

  await open(page, `/app/audit/patients/${seeded.patientId}`, `Patient ${seeded.patientId}: audit history`);
  await hasText(page.getByTestId('audit-history'), 'Transcription error: 13.1 on the report');
  const local = new Date(beforeCorrection.getTime()).toISOString().slice(0, 19);
  await page.getByLabel('As of', { exact: true }).fill(local);
  const asOf = page.getByTestId('as-of-entries');
  await hasText(asOf, '"value":12.5');
  await lacksText(asOf, '13.1');
  await look(page, 'auditor-patient-as-of');

  // The patient page's own moment picker: for an auditor, the server's point-in-time view (recorded as an audit read).
  await open(page, `/app/patients/${seeded.patientId}`, `Patient ${seeded.patientId}`);
  const igm = page.locator(`tr[data-event="${seeded.igmEventId}"]`);
  await hasText(igm, 'value: 13.1');
  const pointInTime = page.waitForResponse((response) => response.url().includes(`/audit/patients/${seeded.patientId}/as-of`));
  await page.getByLabel('Record as of').fill(local);
  expect((await pointInTime).status()).toBe(200);
  await page.getByTestId('as-of-notice').waitFor();
  await hasText(igm, 'value: 12.5');
  await lacksText(igm, '13.1');
  await look(page, 'auditor-patient-page-as-of');

  await open(page, '/app/audit/as-of', 'As of a date');
  await page.getByLabel('As of', { exact: true }).fill('2026-01-01');
  await page.getByTestId('projection-as-of').waitFor();
  await look(page, 'auditor-read-model-as-of');

  await open(page, '/app/audit/verify', 'Verification and exports');
  await page.getByRole('button', { name: 'Verify now' }).click();
  await hasText(page.getByTestId('verification-result'), 'intact', 60_000);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SDTM LB' }).click();
  expect((await download).suggestedFilename()).toBe('sdtm-LB.csv');
  await look(page, 'auditor-verify');
});

/** The status badge of the one row of a table that matches `name`. */
const badgeOf = (page: Page, testId: string, name: string | RegExp) =>
  page.getByTestId(testId).getByRole('row', { name }).locator('.badge');

const isShown = (locator: ReturnType<Page['locator']>, text: string) =>
  eventually(async () => expect(await locator.innerText()).toBe(text), 20_000);

test('an investigator signs a visit and the casebook, a correction invalidates them on screen, and the record as of a moment before shows them valid', async () => {
  const { page } = await as('investigator');
  const auditRequests: string[] = [];
  page.on('request', (request) => void (new URL(request.url()).pathname.startsWith('/audit/') && auditRequests.push(request.url())));
  await open(page, `/app/patients/${seeded.patientId}`, `Patient ${seeded.patientId}`);
  const region = page.getByRole('region', { name: 'Signatures' });
  await hasText(page.getByTestId('signature-scopes'), 'the whole casebook');
  const dialog = page.getByRole('dialog');

  // One visit: the dialog offers each visit with data, by its name in the protocol's schedule.
  await region.getByRole('button', { name: 'Sign' }).click();
  const visitOption = dialog.getByLabel('What is signed').locator('option').nth(1);
  const visit = (await visitOption.getAttribute('value'))!;
  const visitLabel = await visitOption.innerText();
  expect(visitLabel).toMatch(/^visit \S/);
  await dialog.getByLabel('What is signed').selectOption(visit);
  await dialog.getByLabel('Meaning').selectOption('review');
  await dialog.getByLabel('Your password').fill(PASSWORD);
  await look(page, 'investigator-visit-signature-dialog');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await isShown(badgeOf(page, 'signatures', new RegExp(`^review visit ${visit}\\b`)), 'valid');
  await isShown(badgeOf(page, 'signature-scopes', visitLabel), 'signed');

  // The whole casebook.
  await region.getByRole('button', { name: 'Sign' }).click();
  await dialog.getByLabel('What is signed').selectOption('casebook');
  await dialog.getByLabel('Meaning').selectOption('approval');
  await dialog.getByLabel('Your password').fill(PASSWORD);
  await look(page, 'investigator-signature-dialog');
  await dialog.getByRole('button', { name: 'Sign' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await isShown(badgeOf(page, 'signatures', /approval casebook/), 'valid');
  await isShown(badgeOf(page, 'signature-scopes', 'the whole casebook'), 'signed');

  await new Promise((resolve) => setTimeout(resolve, 1100));
  const beforeCorrection = new Date();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const coordinator = await seeded.accounts.site_coordinator.headers();
  const corrected = await platform.call(coordinator, 'POST', `/patients/${seeded.patientId}/corrections`, {
    submissionId: randomUUID(),
    correctedEventId: seeded.igmEventId,
    occurredAt: '2026-03-04',
    reason: 'Re-read the report: 12.8',
    data: { analyte: 'IGM', value: 12.8, unit: 'g/L', qualifier: '=' },
  });
  expect(corrected.status).toBe(201);
  // No reload: the page hears that the read models changed and shows the signature invalidated.
  await isShown(badgeOf(page, 'signatures', /approval casebook/), 'invalidated');
  await isShown(badgeOf(page, 'signature-scopes', 'the whole casebook'), 'invalidated');
  const igm = page.locator(`tr[data-event="${seeded.igmEventId}"]`);
  await hasText(igm, 'value: 12.8');
  await look(page, 'investigator-signature-invalidated');

  // The record as it stood a moment before the correction: the old value, both signatures valid, read-only.
  await page.getByLabel('Record as of').fill(beforeCorrection.toISOString().slice(0, 19));
  await page.getByTestId('as-of-notice').waitFor();
  await lacksText(igm, '12.8');
  await isShown(badgeOf(page, 'signatures', /approval casebook/), 'valid');
  await isShown(badgeOf(page, 'signatures', new RegExp(`^review visit ${visit}\\b`)), 'valid');
  expect(await region.getByRole('button', { name: 'Sign' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Correct' }).count()).toBe(0);
  expect(await page.getByRole('group', { name: 'Form' }).count()).toBe(0);
  await look(page, 'investigator-patient-as-of');
  await page.getByRole('button', { name: 'Back to now' }).click();
  await isShown(badgeOf(page, 'signatures', /approval casebook/), 'invalidated');
  await hasText(igm, 'value: 12.8');
  // An investigator's moment is cut from the history its own route gives it, never from the auditors' routes.
  expect(auditRequests).toEqual([]);
});

const SECRETS = [String(SECRET_CD19), ...SECRET_ARMS];

test('blinded roles receive no masked value and no arm, in any page or any response; the auditor, who may, does', async () => {
  const blinded: Array<[string, string[]]> = [
    ['site_coordinator', ['/app/site/S01', `/app/patients/${seeded.patientId}`, '/app/site/S01/queries']],
    ['monitor', ['/app/monitor', '/app/monitor/sites/S01', `/app/patients/${seeded.patientId}`, '/app/monitor/sites/S01/sdv']],
    ['blinded_statistician', ['/app/analysis']],
    ['administrator', ['/app/admin']],
    ['investigator', ['/app/site/S01', `/app/patients/${seeded.patientId}`]],
  ];
  for (const [role, paths] of blinded) {
    const user = await as(role);
    for (const path of paths) {
      await user.page.goto(path);
      await user.page.locator('main h1').waitFor();
      await user.page.locator('[role="status"]:has-text("Loading")').waitFor({ state: 'detached' });
      await look(user.page, `${role}-${path.replace(/^\/app\//, '').replace(/\//g, '-')}`);
      const dom = await user.page.content();
      for (const secret of SECRETS)
        expect({ role, path, leaked: dom.includes(secret) ? secret : null }).toEqual({ role, path, leaked: null });
    }
    await user.close();
    expect(user.bodies.length).toBeGreaterThan(paths.length);
    for (const secret of SECRETS) {
      expect({ role, leaked: user.bodies.some((body) => body.includes(secret)) ? secret : null }).toEqual({ role, leaked: null });
    }
  }

  // The same scan finds the value where it may be: the auditor's history carries it.
  const auditor = await as('auditor');
  await open(auditor.page, `/app/audit/patients/${seeded.patientId}`, /audit history/);
  expect(await auditor.page.content()).toContain(String(SECRET_CD19));
});

test('the administrator freezes, locks and unblinds through the signature dialog; the unblinded statistician then compares the arms', async () => {
  const { page } = await as('administrator');
  await open(page, '/app/admin', 'Administration');
  await hasText(page.getByTestId('allocation'), '16 kits');
  await page.getByTestId('protocol-versions').getByRole('cell', { name: '1', exact: true }).waitFor();
  await look(page, 'administrator');
  for (const step of ['Freeze', 'Lock', 'Unblind']) {
    await page.getByRole('button', { name: step, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Your password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  await page.getByText(/unblinded \d{4}-\d{2}-\d{2}/).waitFor();

  const statistician = await as('unblinded_statistician');
  await open(statistician.page, '/app/analysis', 'Endpoints and safety');
  await hasText(statistician.page.getByTestId('by-arm'), SECRET_ARMS[0]);
  await hasText(statistician.page.getByTestId('by-arm'), SECRET_ARMS[1]);
  await look(statistician.page, 'unblinded-statistician-analysis');

  const board = await as('safety_board');
  await open(board.page, '/app/analysis', 'Endpoints and safety');
  await look(board.page, 'safety-board-analysis');
});

test('every page has no serious or critical accessibility violation (axe-core)', async () => {
  expect(violations).toEqual([]);
  // The same check does find violations where there are some: an image without text, a button without a name.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<!doctype html><html lang="en"><title>broken</title><main><img src="data:,"><button></button></main></html>');
  const found = await inspect(page, 'calibration-broken-page');
  await context.close();
  expect(found.join('\n')).toMatch(/image-alt/);
  expect(found.join('\n')).toMatch(/button-name/);
});
