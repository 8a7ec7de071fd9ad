import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import type { Account } from './accounts';
import { eventually as retried } from '../support/eventually';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const OUTPUT = resolve(__dirname, '../../test-output/web');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Debian's Chromium, headless, with everything that would reach out to the network switched off (this
 * machine's network is closed, and a test must not depend on it). Playwright gives each launch a fresh
 * profile directory. A missing Chromium fails the suite: it never skips.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: \`apt-get install -y chromium\` (CI's .ci/run does it)`);
  }
  mkdirSync(OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Every response body this user's browser received (JSON, text, event streams), for blinding scans. */
  bodies: string[];
  /** Uncaught errors in the page's scripts (expected none). */
  errors: string[];
  close(): Promise<void>;
}

/** A browser of its own for one user, signed in through the login page. */
export async function signIn(browser: Browser, url: string, account: Account): Promise<UserPage> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1360, height: 900 }, timezoneId: 'UTC' });
  const page = await context.newPage();
  const bodies: string[] = [];
  const pending: Array<Promise<void>> = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/json|csv|xml|text\/plain/.test(type)) return;
    pending.push(
      response.text().then(
        (text) => void bodies.push(text),
        () => undefined,
      ),
    );
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => void errors.push(error.message));
  await page.goto('/');
  if (account.credential.kind === 'password') {
    await page.getByLabel('User name', { exact: true }).fill(account.credential.username);
    await page.getByLabel('Password', { exact: true }).fill(account.credential.password);
  } else {
    await page.getByRole('button', { name: 'API key' }).click();
    await page.getByLabel('API key', { exact: true }).fill(account.credential.key);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.sidebar').waitFor();
  return {
    context,
    page,
    bodies,
    errors,
    async close() {
      await Promise.all(pending);
      await context.close();
    },
  };
}

/** Opens a page of the app and waits for its heading. */
export async function open(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('[role="status"]:has-text("Loading")').waitFor({ state: 'detached' });
}

/** A screenshot under test-output/web, and axe-core's serious and critical violations of the page (expected none). */
export async function inspect(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: resolve(OUTPUT, `${name}.png`), fullPage: true });
  await page.addScriptTag({ content: AXE_SOURCE });
  // Runs in the page (a string, so that this Node-side file needs no DOM types).
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id + ' (' + violation.impact + ') at ' + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')))`)) as string[];
  return violations.map((violation) => `${name}: ${violation}`);
}

/** Retries an assertion until it holds (pages load and update asynchronously), then lets its last failure through. */
export const eventually = (assertion: () => Promise<void>, timeoutMs = 15_000): Promise<void> => retried(assertion, timeoutMs, 200);

export const hasText = (locator: Locator, text: string | RegExp, timeoutMs?: number) =>
  eventually(async () => {
    const shown = await locator.innerText();
    if (typeof text === 'string') expect(shown).toContain(text);
    else expect(shown).toMatch(text);
  }, timeoutMs);

export const lacksText = (locator: Locator, text: string) => eventually(async () => expect(await locator.innerText()).not.toContain(text));
