import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseApiKey } from '@trialstream/auth';
import request from 'supertest';
import { enrolmentBody, infusionBody, randomizationBody, siteBody } from '../ingest/site-api';
import { eventually } from '../support/eventually';

const repoRoot = resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

interface RunningPlatform {
  process: ChildProcess;
  output: () => string;
  http: ReturnType<typeof request>;
  exited: Promise<number | null>;
}

async function startPlatform(dataDir: string): Promise<RunningPlatform> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'log' };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  let output = '';
  const child = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const http = request(`http://127.0.0.1:${port}`);
  // The first start compiles dist/ (tsc, tens of seconds on two busy cores); later ones start at once.
  await eventually(() => http.get('/health').expect(200), 240_000).catch((error) => {
    throw new Error(`npm start did not come up: ${error}\n${output}`);
  });
  return { process: child, output: () => output, http, exited };
}

/** The embedded server's process and the process that started it, from its lock file. */
async function embeddedServer(dataDir: string): Promise<{ pid: number; parent: number }> {
  const pid = Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return { pid, parent: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '');
  } catch {
    return false;
  }
}

describe('npm start on a machine without PostgreSQL or Kafka', () => {
  let dataDir: string;
  let platform: RunningPlatform;
  let patientId: string;
  let monitor: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trialstream-start-'));
    platform = await startPlatform(dataDir);
  }, 300_000);

  afterAll(async () => {
    const server = await embeddedServer(dataDir).catch(() => null);
    if (platform?.process.pid && isRunning(platform.process.pid)) process.kill(-platform.process.pid, 'SIGTERM');
    await platform?.exited;
    if (server) await eventually(async () => expect(isRunning(server.pid)).toBe(false), 30_000);
    await rm(dataDir, { recursive: true, force: true });
  });

  const registryOfS01 = async (http: ReturnType<typeof request>) =>
    eventually(async () => {
      const res = await http.get('/registry/patients?siteId=S01').set('Authorization', monitor).expect(200);
      expect(res.body.items[0]).toMatchObject({ patientId, status: 'randomized', totalEvents: 3 });
      return res.body;
    }, 10_000);

  it('runs the compiled platform on a real PostgreSQL server in DATA_DIR', async () => {
    const server = await embeddedServer(dataDir);
    expect(readFileSync(`/proc/${server.parent}/cmdline`, 'utf8').split('\0')).toContain('dist/apps/platform/src/main.js');
    expect(platform.output()).toMatch(/embedded PostgreSQL server in /);
    expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')).toContain(`${join(dataDir, 'postgres')}\0`);
  });

  it('leaves the first administrator key and activation code in files, never in the log', async () => {
    const http = platform.http;
    const output = platform.output();
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const code = (await readFile(join(dataDir, 'admin-activation-code'), 'utf8')).trim();
    expect(output).toContain(join(dataDir, 'admin-token'));
    expect(output).not.toContain(parseApiKey(token)!.secret);
    expect(output).not.toContain(code);
    await http
      .post('/auth/activate')
      .send({ username: 'admin', activationCode: code, password: 'first administrator passphrase' })
      .expect(204);
    await http.post('/auth/login').send({ username: 'admin', password: 'first administrator passphrase' }).expect(200);
  });

  it('serves the web app at / (built before the start when its bundle was missing or stale)', async () => {
    const page = await platform.http.get('/app/site/S01').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await platform.http
      .get(script!)
      .expect(200)
      .expect('Content-Type', /javascript/);
  });

  it('accepts an enrolment and an infusion and serves them from the registry', async () => {
    const http = platform.http;
    const admin = `Bearer ${(await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()}`;
    await http
      .post('/sites')
      .set('Authorization', admin)
      .send(siteBody('S01', { occurredAt: '2025-01-10' }))
      .expect(201);
    const user = async (role: string) =>
      `Bearer ${
        (
          await http
            .post('/users')
            .set('Authorization', admin)
            .send({ name: role, role, siteIds: ['S01'] })
            .expect(201)
        ).body.token
      }`;
    const coordinator = await user('site_coordinator');
    monitor = await user('monitor');

    const enrolled = await http
      .post('/sites/S01/patients')
      .set('Authorization', coordinator)
      .send(enrolmentBody('0001', { occurredAt: '2025-03-02', consentDate: '2025-03-01' }))
      .expect(201);
    patientId = enrolled.body.patientId;
    await http
      .post(`/patients/${patientId}/randomization`)
      .set('Authorization', coordinator)
      .send(randomizationBody({ occurredAt: '2025-03-05' }))
      .expect(201);
    await http
      .post(`/patients/${patientId}/infusions`)
      .set('Authorization', coordinator)
      .send(infusionBody({ occurredAt: '2025-03-09' }))
      .expect(201);

    const registry = await registryOfS01(http);
    expect(registry.items[0].eventCounts).toMatchObject({ PatientEnrolled: 1, PatientRandomized: 1, InfusionGiven: 1 });
  });

  it('lets a command-line tool use the running server meanwhile: audit:verify checks the live data', async () => {
    const server = await embeddedServer(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const verify = spawn('npm', ['run', '-s', 'audit:verify', '--', '--json'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    verify.stdout?.on('data', (chunk) => (stdout += chunk));
    verify.stderr?.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((done) => verify.once('exit', done));
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(JSON.parse(stdout)).toMatchObject({ ok: true });
    expect(await embeddedServer(dataDir)).toEqual(server);
    await platform.http.get('/health').expect(200);
  }, 120_000);

  it('stops its database with it, and keeps every record across a clean stop and a crash', async () => {
    const first = await embeddedServer(dataDir);
    process.kill(-platform.process.pid!, 'SIGTERM');
    await platform.exited;
    await eventually(async () => expect(isRunning(first.parent) || isRunning(first.pid)).toBe(false), 30_000);
    expect(platform.output()).not.toMatch(/ERROR|unexpectedly/);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    platform = await startPlatform(dataDir);
    await registryOfS01(platform.http);

    // A crash: the platform's own process is killed outright; the server must not outlive it.
    const second = await embeddedServer(dataDir);
    process.kill(second.parent, 'SIGKILL');
    await platform.exited;
    await eventually(async () => expect(isRunning(second.pid)).toBe(false), 30_000);

    platform = await startPlatform(dataDir);
    await registryOfS01(platform.http);
  }, 240_000);
});
