import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserDirectory } from '@trialstream/auth';
import type { Role } from '@trialstream/domain';
import { DataSource } from 'typeorm';
import { compiledEntry, REPO_ROOT } from '../test/support/compiled';
import { listeningUrl } from '../test/support/app-process';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { releaseOnInterrupt } from './interrupt-cleanup';

/** What the HTTP phases start: one app alone or the whole platform, on a real PostgreSQL or the embedded server. */
export type AppTarget = 'ingest_alone_postgres' | 'platform_postgres' | 'platform_embedded';

export interface RunningAppProcess {
  target: AppTarget;
  url: string;
  pid: number;
  /** The first administrator's Authorization header value. */
  adminToken: string;
  /** Resident memory of the app's own process (not the database's), in MB. */
  rssMb(): number;
  /** Resident memory of the embedded PostgreSQL server's processes (proportional share), in MB; null on a real server. */
  databaseRssMb(): number | null;
  /** Hands every later chunk of the app's standard output to `listener` (after its "listening" line). */
  onOutput(listener: (text: string) => void): void;
  stop(): Promise<void>;
}

/** How long an app may take to start listening (the embedded server's first start initialises its cluster). */
export const START_TIMEOUT_MS = 120_000;

/** BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": Node options of every app the bench starts, to profile it under the load. */
const benchAppNodeArgs = (): string[] => (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Runs a script (path from the repository's root) as a process of its own, with BENCH_APP_NODE_ARGS, its output piped. */
export const spawnBenchNode = (script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess =>
  spawn(process.execPath, [...benchAppNodeArgs(), ...nodeArgs, script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs the compiled app (`node dist/apps/<app>/src/main.js`, what `npm start` runs) as its own process. */
export async function startAppProcess(
  target: AppTarget,
  options: { databaseUrl?: string; nodeArgs?: string[] } = {},
): Promise<RunningAppProcess> {
  const app = target === 'ingest_alone_postgres' ? 'ingest' : 'platform';
  const dataDir = mkdtempSync(join(tmpdir(), 'trialstream-bench-'));
  // A database the caller filled stays the caller's to drop.
  const given = options.databaseUrl ? { url: options.databaseUrl, name: '', drop: async () => undefined } : null;
  const database: TestDatabase | null = given ?? (target === 'platform_embedded' ? null : await createTestDatabase('bench_http'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'log',
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
  };
  delete env.KAFKA_BROKERS;
  if (database) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;
  const child = spawnBenchNode(compiledEntry(`apps/${app}/src/main.ts`), env, options.nodeArgs);
  const cleanUp = async () => {
    await stopChild(child);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const forget = releaseOnInterrupt(cleanUp);
  try {
    const { url } = await listeningUrl(child, target, START_TIMEOUT_MS);
    const adminToken = database
      ? await userTokenOn(database.url, 'bench administrator', 'administrator')
      : `Bearer ${readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()}`;
    return {
      target,
      url,
      pid: child.pid!,
      adminToken,
      rssMb: () => rssOf(child.pid!),
      databaseRssMb: () => (database ? null : embeddedServerPss(dataDir)),
      onOutput: (listener) => child.stdout!.on('data', (chunk: Buffer) => listener(chunk.toString())),
      async stop() {
        await cleanUp();
        forget();
      },
    };
  } catch (error) {
    await cleanUp();
    forget();
    throw error;
  }
}

/** A new user's Authorization header value, made directly in the app's database (the app's own migrations ran). */
export async function userTokenOn(url: string, name: string, role: Role, siteIds: string[] = []): Promise<string> {
  const dataSource = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await dataSource.initialize();
  try {
    const { token } = await new UserDirectory(dataSource).createUser({ name, role, siteIds });
    return `Bearer ${token}`;
  } finally {
    await dataSource.destroy();
  }
}

/** SIGTERM, then SIGKILL after 30 s; resolves once the process has ended. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Number((kb / 1024).toFixed(1));
}

/** The server's processes share their buffers: the proportional set size counts each page once overall. */
function embeddedServerPss(dataDir: string): number | null {
  try {
    const postmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    let kb = 0;
    for (const pid of [postmaster, ...children]) {
      try {
        kb += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      } catch {
        // a backend that just ended
      }
    }
    return Number((kb / 1024).toFixed(1));
  } catch {
    return null;
  }
}
