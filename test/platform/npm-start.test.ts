import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { enrolmentBody, infusionBody, randomizationBody, siteBody } from '../ingest/site-api';

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

async function eventually<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('npm start on a machine without PostgreSQL or Kafka', () => {
  let dataDir: string;
  let platform: ChildProcess;
  let output = '';
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trialstream-start-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'log' };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    platform = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    platform.stdout?.on('data', (chunk) => (output += chunk));
    platform.stderr?.on('data', (chunk) => (output += chunk));
    http = request(`http://127.0.0.1:${port}`);
    await eventually(() => http.get('/health').expect(200), 90_000).catch((error) => {
      throw new Error(`npm start did not come up: ${error}\n${output}`);
    });
  }, 120_000);

  afterAll(async () => {
    if (platform?.pid) process.kill(-platform.pid, 'SIGTERM');
    await new Promise((r) => platform?.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on the embedded database in DATA_DIR and leaves the first administrator key and activation code in files, never in the log', async () => {
    expect(output).toMatch(/embedded PostgreSQL \(PGlite\)/);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const code = (await readFile(join(dataDir, 'admin-activation-code'), 'utf8')).trim();
    expect(output).toContain(join(dataDir, 'admin-token'));
    expect(output).not.toContain(token.split('_')[2]);
    expect(output).not.toContain(code);
    await http.post('/auth/activate').send({ username: 'admin', activationCode: code, password: 'first administrator passphrase' }).expect(204);
    await http.post('/auth/login').send({ username: 'admin', password: 'first administrator passphrase' }).expect(200);
  });

  it('serves the web app at / (built before the start when its bundle was missing or stale)', async () => {
    const page = await http.get('/app/site/S01').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await http.get(script!).expect(200).expect('Content-Type', /javascript/);
  });

  it('accepts an enrolment and an infusion and serves them from the registry', async () => {
    const admin = `Bearer ${(await readFile(join(dataDir, 'admin-token'), 'utf8')).trim()}`;
    await http.post('/sites').set('Authorization', admin).send(siteBody('S01', { occurredAt: '2025-01-10' })).expect(201);
    const user = async (role: string) =>
      `Bearer ${(await http.post('/users').set('Authorization', admin).send({ name: role, role, siteIds: ['S01'] }).expect(201)).body.token}`;
    const coordinator = await user('site_coordinator');
    const monitor = await user('monitor');

    const enrolled = await http.post('/sites/S01/patients').set('Authorization', coordinator)
      .send(enrolmentBody('0001', { occurredAt: '2025-03-02', consentDate: '2025-03-01' })).expect(201);
    const patientId = enrolled.body.patientId;
    await http.post(`/patients/${patientId}/randomization`).set('Authorization', coordinator).send(randomizationBody({ occurredAt: '2025-03-05' })).expect(201);
    await http.post(`/patients/${patientId}/infusions`).set('Authorization', coordinator).send(infusionBody({ occurredAt: '2025-03-09' })).expect(201);

    const registry = await eventually(async () => {
      const res = await http.get('/registry/patients?siteId=S01').set('Authorization', monitor).expect(200);
      expect(res.body.items[0]).toMatchObject({ patientId, status: 'randomized', totalEvents: 3 });
      return res.body;
    }, 10_000);
    expect(registry.items[0].eventCounts).toMatchObject({ PatientEnrolled: 1, PatientRandomized: 1, InfusionGiven: 1 });
  });
});
