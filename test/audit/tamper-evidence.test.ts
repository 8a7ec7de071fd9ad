import type { TestApp } from '../support/app';
import { bearer, recordTrial, runCli, startAuditApp, whenReadModelsCaughtUp, type RecordedTrial } from './audit-trial';

/**
 * Tampering as only a superuser could do it: the append-only trigger switched off for one UPDATE,
 * and switched back on (ALWAYS, as the store's migration left it).
 */
async function alterBehindTheDatabasesBack(app: TestApp, sql: string, parameters: unknown[]): Promise<void> {
  const runner = app.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('ALTER TABLE event_store.events DISABLE TRIGGER ALL');
    await runner.query(sql, parameters);
    await runner.query('ALTER TABLE event_store.events ENABLE TRIGGER ALL');
    await runner.query('ALTER TABLE event_store.events ENABLE ALWAYS TRIGGER events_append_only');
    await runner.commitTransaction();
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

describe('tamper evidence: verify proves the log and the read models unaltered, or names what was altered', () => {
  let app: TestApp;
  let trial: RecordedTrial;
  let tampered: { streamId: string; streamVersion: number; eventId: string };

  beforeAll(async () => {
    app = await startAuditApp();
    trial = await recordTrial(app);
    await whenReadModelsCaughtUp(app);
    const [row] = await app.dataSource.query(`SELECT stream_id, stream_version, event_id::text FROM event_store.events WHERE event_id = $1`, [trial.ids.brunoIgm]);
    tampered = { streamId: row.stream_id, streamVersion: row.stream_version, eventId: row.event_id };
  });
  afterAll(() => app?.close());

  describe('while the log is intact', () => {
    it('reports every chain and every read model as holding', async () => {
      const { body } = await bearer(app, trial.auditor).get('/audit/verify').expect(200);
      expect(body.ok).toBe(true);
      expect(body.log).toMatchObject({ ok: true, brokenLinks: [] });
      const [{ stored }] = await app.dataSource.query(`SELECT count(*)::int AS stored FROM event_store.events`);
      expect(body.log.eventsChecked).toBe(stored);
      expect(body.readModels.length).toBeGreaterThan(0);
      for (const check of body.readModels) expect(check).toMatchObject({ identical: true, error: null });
      expect(body.summary.at(-1)).toBe('verification passed');
    });

    it('lets the command-line check exit 0', async () => {
      const result = await runCli('verify', [], app.database.url);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/could not run/) });
      expect(result.stdout).toMatch(/event log: intact/);
      expect(result.stdout).toMatch(/verification passed/);
    });
  });

  describe('after a stored value was changed behind the database’s back', () => {
    beforeAll(async () => {
      await alterBehindTheDatabasesBack(app, `UPDATE event_store.events SET data = jsonb_set(data, '{value}', '97.5') WHERE event_id = $1`, [tampered.eventId]);
    });

    it('names the altered event’s stream and version as the first broken link of that stream', async () => {
      const { body } = await bearer(app, trial.auditor).get('/audit/verify').expect(200);
      expect(body.ok).toBe(false);
      expect(body.log.brokenLinks).toEqual([
        { streamId: tampered.streamId, streamVersion: tampered.streamVersion, eventId: tampered.eventId, globalPosition: expect.any(String), problem: 'hash-mismatch' },
      ]);
      expect(body.summary).toContainEqual(expect.stringContaining(`${tampered.streamId} version ${tampered.streamVersion}`));
      expect(body.summary.at(-1)).toBe('verification FAILED');
    });

    it('makes the command-line check exit non-zero, naming the stream and version', async () => {
      const result = await runCli('verify', [], app.database.url);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${tampered.streamId} version ${tampered.streamVersion}`);
      expect(result.stdout).toMatch(/hash-mismatch/);
      expect(result.stdout).toMatch(/verification FAILED/);
    });

    it('gives the same report as JSON on request', async () => {
      const result = await runCli('verify', ['--json'], app.database.url);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).log.brokenLinks).toEqual([expect.objectContaining({ streamId: tampered.streamId, streamVersion: tampered.streamVersion })]);
    });
  });

  describe('after a read-model row was changed behind the runtime’s back', () => {
    beforeAll(async () => {
      await app.dataSource.query(`UPDATE registry.patients SET total_events = total_events + 100 WHERE patient_id = $1`, [trial.anna]);
    });

    it('reports the read model as differing from a rebuild, with the row’s key', async () => {
      const { body } = await bearer(app, trial.auditor).get('/audit/verify').expect(200);
      const registry = body.readModels.find((check: { projection: string }) => check.projection === 'registry');
      expect(registry.identical).toBe(false);
      const patients = registry.tables.find((table: { table: string }) => table.table === 'patients');
      expect(patients.differences).toEqual([{ key: { patient_id: trial.anna }, kind: 'changed' }]);
      expect(body.summary).toContainEqual(expect.stringMatching(/read model registry: DIFFERS/));
    });
  });

  it('refuses unknown options with exit code 2 and the usage', async () => {
    const result = await runCli('verify', ['--fix-it'], app.database.url);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run audit:verify/);
  });
});
