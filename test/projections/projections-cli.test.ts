import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionRunner, REGISTRY_PROJECTION, StoreFeed } from '@trialstream/projections';
import { CliResult, runCli } from '../support/cli';
import { openProjectionHarness, readAllOf, registrySnapshot, type ProjectionHarness } from './projection-harness';
import { recordTrial, type RecordedTrial } from './trial-builder';

const cli = (script: 'rebuild' | 'verify', args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> =>
  runCli(`apps/projections-cli/src/${script}.ts`, args, { env });

describe('the rebuild and verify-projections commands', () => {
  let harness: ProjectionHarness;
  let trial: RecordedTrial;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    harness = await openProjectionHarness();
    trial = await recordTrial(harness.store, 3);
    await readAllOf(harness.store, trial.events.length);
    await new StoreFeed(new ProjectionRunner(REGISTRY_PROJECTION, harness.dataSource, harness.store), harness.store).catchUp();
    env = { ...process.env, DATABASE_URL: harness.database.url, LOG_LEVEL: 'error' };
  });
  afterAll(() => harness?.close());

  it('verifies an untouched registry and exits 0', async () => {
    const result = await cli('verify', [], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`registry: identical to a rebuild from ${trial.events.length} events (rows: patients 6, sites 2)`);
  });

  it('prints the key of a tampered row and exits 1, and a rebuild repairs it', async () => {
    const tampered = `${trial.sites[0]}-002`;
    await harness.dataSource.query(`UPDATE registry.patients SET status = 'withdrawn' WHERE patient_id = $1`, [tampered]);

    const verified = await cli('verify', ['registry'], env);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('registry: DIFFERS');
    expect(verified.stdout).toMatch(new RegExp(`changed\\s+\\{"patient_id":"${tampered}"\\}`));

    const rebuilt = await cli('rebuild', ['registry'], env);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toContain(`Rebuilt registry into schema registry: ${trial.events.length} events`);
    const [patient] = (await registrySnapshot(harness.dataSource)).patients.filter((row) => row.patient_id === tampered);
    expect(patient.status).toBe('randomized');
    expect((await cli('verify', ['registry'], env)).code).toBe(0);
  });

  it('refuses an unknown projection, naming the known ones', async () => {
    const result = await cli('rebuild', ['regsitry'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown projection "regsitry". Projections: registry');
    expect((await cli('rebuild', [], env)).code).toBe(2);
  });

  it('works on the embedded database in DATA_DIR when DATABASE_URL is absent', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trialstream-cli-'));
    try {
      const { DATABASE_URL: _url, ...withoutUrl } = env;
      const rebuilt = await cli('rebuild', ['registry'], { ...withoutUrl, DATA_DIR: dataDir });
      expect(rebuilt.stdout).toContain(`the embedded database in ${dataDir}`);
      expect(rebuilt).toMatchObject({ code: 0 });
      expect(rebuilt.stdout).toContain('Rebuilt registry into schema registry: 0 events');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
