/**
 * A third trial of the family runs from its file alone: activated through the administrator route
 * (an event on the trial stream), its visits and endpoints listed by the analysis API, its primary
 * endpoint read at its declared visit, per arm after unblinding. Bad files change nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runProtocolCli } from '../../apps/admin/src/protocol-cli';
import { parse, stringify } from 'yaml';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { assessmentBody, enrolmentBody, infusionBody, randomizationBody, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';

const SENSORY_FILE = readFileSync(resolve(__dirname, '../../protocols/anti-mag-rituximab-sensory-54.yaml'), 'utf8');
const edited = (edit: (file: any) => void): string => {
  const file = parse(SENSORY_FILE);
  edit(file);
  return stringify(file);
};

// first infusion 2026-03-09: month 9 = day 273 (2026-12-07), month 12 = day 364 (2027-03-08) ± 21
const PATIENTS: Array<{ number: string; month9: number; month12: number }> = [
  { number: '01', month9: 3, month12: 6 }, // kit 1001 rituximab: −4
  { number: '02', month9: 3, month12: 10 }, // kit 1002 placebo: 0
  { number: '03', month9: 3, month12: 11 }, // kit 1003 placebo: +1
  { number: '04', month9: 3, month12: 8 }, // kit 1004 rituximab: −2
];
const ALLOCATION_CSV = [
  'kitNumber,stratum,blockNumber,arm',
  '1001,S01,1,rituximab',
  '1002,S01,1,placebo',
  '1003,S01,2,placebo',
  '1004,S01,2,rituximab',
].join('\n');

const NOW = new Date('2027-06-01T12:00:00Z');

describe('a third trial of the family from its protocol file alone', () => {
  let app: TestApp;
  let admin: string;
  let coordinator: string;
  let statistician: string;
  let unblinded: string;
  const get = (path: string, token: string) => app.http().get(path).set('Authorization', token);
  const post = (path: string, body: object, token: string) => app.http().post(path).set('Authorization', token).send(body);

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], {
      now: NOW,
    });
    ({
      admin,
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
    statistician = await app.userToken('blinded_statistician');
    unblinded = await app.userToken('unblinded_statistician');
  });
  afterAll(() => app?.close());

  it('refuses an invalid file with 422 naming the field and the rule, and stores nothing', async () => {
    const invalid = edited((file) => {
      file.visits[3].window.before = -1;
    });
    const res = await post('/protocol/versions', { ...submission(), file: invalid }, admin).expect(422);
    expect(res.body).toMatchObject({ error: 'rule_violation', details: [{ field: 'file.visits[3].window.before', rule: 'minimum' }] });
    expect(res.body.message).toContain('file.visits[3].window.before: must be >= 0');

    const unknownVisit = edited((file) => {
      file.endpoints[0].visit = 'month-18';
    });
    const refused = await post('/protocol/versions', { ...submission(), file: unknownVisit }, admin).expect(422);
    expect(refused.body.details).toEqual([{ field: 'file.endpoints[0].visit', rule: 'unknown-visit' }]);
    await post('/protocol/versions', { ...submission(), file: 'trial: [' }, admin).expect(422);
    await post('/protocol/versions', { ...submission(), file: SENSORY_FILE }, coordinator).expect(403);
    expect((await get('/protocol/versions', admin).expect(200)).body).toEqual([]);
  });

  it('activates the file as version 1 on the trial stream, with its effective date', async () => {
    const res = await post('/protocol/versions', { ...submission(), file: SENSORY_FILE, effectiveFrom: '2026-01-01' }, admin).expect(201);
    expect(res.body.events).toEqual([expect.objectContaining({ type: 'ProtocolActivated', streamVersion: 1 })]);
    expect((await get('/protocol/versions', statistician).expect(200)).body).toEqual([
      expect.objectContaining({ version: 1, protocolId: 'anti-mag-rituximab-sensory', effectiveFrom: '2026-01-01', inForce: true }),
    ]);
    const protocol = (await get('/analysis/protocol', statistician).expect(200)).body;
    expect(protocol.visits.map((visit: { name: string }) => visit.name)).toEqual([
      'screening',
      'baseline',
      'month-3',
      'month-6',
      'month-9',
      'month-12',
    ]);
    expect(protocol.endpoints[0]).toMatchObject({
      name: 'sensory-sum-change',
      primary: true,
      visit: 'month-12',
      test: 'welch-mean-difference',
    });
  });

  it('refuses an amendment that would re-label collected data, naming the field; nothing changes', async () => {
    const dropsMonth9 = edited((file) => {
      file.visits = file.visits.filter((visit: { name: string }) => visit.name !== 'month-9');
    });
    const res = await post('/protocol/versions', { ...submission(), file: dropsMonth9, effectiveFrom: '2026-06-01' }, admin).expect(422);
    expect(res.body.details).toEqual([{ field: 'visits', rule: 'visit-kept' }]);
    expect((await get('/protocol/versions', admin).expect(200)).body).toHaveLength(1);
  });

  it('activates an amendment from the command line: an invalid file exits 2 and changes nothing', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const env = { DATABASE_URL: app.database.url, LOG_LEVEL: 'error' };
    const write = (name: string, text: string) => {
      const path = join(tmpdir(), `${process.pid}-${name}.yaml`);
      writeFileSync(path, text);
      return path;
    };
    const invalid = write(
      'invalid',
      edited((file) => {
        file.endpoints[0].visit = 'month-18';
      }),
    );
    expect(await runProtocolCli(['activate', invalid], env, io)).toBe(2);
    expect(lines.join('\n')).toContain("endpoints[0].visit: 'month-18' is not a visit of the protocol");
    // month 12's window widened to ± 28 days from 2026-06-01 on: a new version, earlier data keep version 1
    const amendment = write(
      'amendment',
      edited((file) => {
        file.visits[5].window = { before: 28, after: 28 };
      }),
    );
    expect(await runProtocolCli(['activate', amendment, '--effective-from', '2026-06-01'], env, io)).toBe(0);
    expect(lines.at(-1)).toMatch(/^Activated anti-mag-rituximab-sensory as version 2, effective from 2026-06-01/);
    const versions = (await get('/protocol/versions', admin).expect(200)).body;
    expect(versions.map((v: { version: number; inForce: boolean }) => [v.version, v.inForce])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((await get('/analysis/protocol', statistician).expect(200)).body.visits[5].window).toEqual({ before: 28, after: 28 });
  });

  it("marks the version in force on the server clock's day, not the machine's", async () => {
    const inForce = async () =>
      ((await get('/protocol/versions', admin).expect(200)).body as Array<{ version: number; inForce: boolean }>)
        .filter((version) => version.inForce)
        .map((version) => version.version);
    try {
      // the day before version 2 takes effect (2026-06-01): version 1 is in force, whatever the date on this machine
      app.setNow(new Date('2026-05-31T12:00:00Z'));
      expect(await inForce()).toEqual([1]);
      app.setNow(new Date('2026-06-01T00:00:00Z'));
      expect(await inForce()).toEqual([2]);
    } finally {
      app.setNow(NOW);
      await get('/protocol/versions', admin).expect(200);
    }
  });

  it('activates from the command line as the administrator named by --as once their password checks out; a wrong one appends nothing', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const env = { DATABASE_URL: app.database.url, LOG_LEVEL: 'error' };
    const amendment = join(tmpdir(), `${process.pid}-amendment-as.yaml`);
    writeFileSync(
      amendment,
      edited((file) => {
        file.visits[5].window = { before: 28, after: 28 };
        file.trial.title = `${file.trial.title} (amendment 2)`;
      }),
    );
    const activations = async () =>
      (await app.dataSource.query(
        `SELECT actor_id, actor_role FROM event_store.events WHERE type = 'ProtocolActivated' ORDER BY global_position`,
      )) as Array<{ actor_id: string; actor_role: string }>;
    const administrator = await app.person('administrator');
    const typed = (password: string) => async () => password;

    const wrong = await runProtocolCli(
      ['activate', amendment, '--effective-from', '2026-06-01', '--as', administrator.username],
      env,
      io,
      typed('not the password at all'),
    );
    expect(wrong).toBe(1);
    expect(lines.at(-1)).toBe(`--as ${administrator.username}: The user name or password is wrong`);
    expect(await activations()).toHaveLength(2);

    const right = await runProtocolCli(
      ['activate', amendment, '--effective-from', '2026-06-01', '--as', administrator.username],
      env,
      io,
      typed(administrator.credentials.password),
    );
    expect(right).toBe(0);
    expect(lines.at(-1)).toMatch(/^Activated anti-mag-rituximab-sensory as version 3, effective from 2026-06-01/);
    const [byCli, byAdministrator] = (await activations()).slice(1);
    expect(byCli.actor_id).toMatch(/^cli:/);
    expect(byAdministrator).toEqual({ actor_id: administrator.userId, actor_role: 'administrator' });
  });

  it('reads the primary endpoint at month 12 by default, any named visit when asked, per arm after unblinding', async () => {
    await post('/allocation/import', { csv: ALLOCATION_CSV }, admin).expect(201);
    for (const patient of PATIENTS) {
      const subject = `S01-${patient.number}`;
      await post('/sites/S01/patients', enrolmentBody(patient.number), coordinator).expect(201);
      const { kitNumber: _kit, ...randomization } = randomizationBody() as { kitNumber?: string };
      await post(`/patients/${subject}/randomization`, randomization, coordinator).expect(201);
      await post(`/patients/${subject}/infusions`, infusionBody(), coordinator).expect(201);
      for (const [occurredAt, sensorySumScore] of [
        ['2026-03-09', 10],
        ['2026-12-07', patient.month9],
        ['2027-03-10', patient.month12],
      ] as const) {
        await post(
          `/patients/${subject}/assessments`,
          assessmentBody({ occurredAt, sensorySumScore, globalStatus: undefined }),
          coordinator,
        ).expect(201);
      }
    }
    await whenProjectionCaughtUp(app.dataSource, 'analysis');

    const pooled = (await get('/analysis/endpoints', statistician).expect(200)).body;
    expect(pooled.protocolEndpoints[0]).toMatchObject({
      endpoint: 'sensory-sum-change',
      primary: true,
      visit: 'month-12',
      population: 4,
      evaluable: 4,
      change: { n: 4, mean: -1.25 },
    });
    const month9 = (await get('/analysis/endpoints?visit=month-9', statistician).expect(200)).body;
    expect(month9.protocolEndpoints[0]).toMatchObject({ visit: 'month-9', change: { n: 4, mean: -7 } });
    const unknown = await get('/analysis/endpoints?visit=month-7', statistician).expect(400);
    expect(unknown.body.details).toEqual([{ field: 'visit', rule: 'unknown-visit' }]);

    const administrator = await app.person('administrator');
    const signed = administrator.credentials;
    await post('/trial/lock', { ...submission(), reason: 'Last patient out', ...signed }, administrator.authorization).expect(201);
    await post('/trial/unblinding', { ...submission(), reason: 'Final analysis', ...signed }, administrator.authorization).expect(201);
    const byArm = (await get('/analysis/endpoints/by-arm', unblinded).expect(200)).body;
    expect(byArm.protocolEndpoints[0]).toMatchObject({
      endpoint: 'sensory-sum-change',
      arms: { rituximab: { evaluable: 2, change: { mean: -3 } }, placebo: { evaluable: 2, change: { mean: 0.5 } } },
      comparison: { arms: ['rituximab', 'placebo'], test: 'welch-mean-difference', result: { difference: -3.5 } },
    });
  });
});
