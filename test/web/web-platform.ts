import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppProcess, createTestDatabase, TestDatabase } from '../support';

const REPO_ROOT = resolve(__dirname, '../..');

/** The web app's bundle, built once per run as `npm start` builds it (only when missing or stale). */
export function buildWebApp(): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/web-app-fresh.js')], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export interface WebPlatform {
  url: string;
  adminKey: string;
  /** The first administrator's person account `admin` and its one-time activation code, where the platform has people's sign-in. */
  adminActivationCode: string | null;
  process: AppProcess;
  database: TestDatabase;
  /** A JSON call with the given credentials' headers (seeding and checks; the browser does the rest). */
  call<T = unknown>(
    auth: Record<string, string>,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

/** `npm start`'s platform (web app included) in a child process, on a fresh database and a free port. */
export async function startWebPlatform(): Promise<WebPlatform> {
  buildWebApp();
  const database = await createTestDatabase('web');
  const dataDir = mkdtempSync(join(tmpdir(), 'trialstream-web-'));
  const child = await AppProcess.start('platform', { DATABASE_URL: database.url, DATA_DIR: dataDir }, 120_000);
  const adminKey = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const codeFile = join(dataDir, 'admin-activation-code');
  const adminActivationCode = existsSync(codeFile) ? readFileSync(codeFile, 'utf8').trim() : null;
  const call = async <T>(auth: Record<string, string>, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${child.url}${path}`, {
      method,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV and other text answers stay text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
  return {
    url: child.url,
    adminKey,
    adminActivationCode,
    process: child,
    database,
    call,
    async close() {
      await child.stop('SIGTERM');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
