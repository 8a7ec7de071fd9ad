import { EVENT_COLUMNS, GENESIS_HASH, chainedFields, computeEventHash, toStoredEnvelope, type EventRow } from '@trialstream/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestApp } from '../support/app';
import { labBody, randomizedPatient, trialWithSites } from '../ingest/site-api';
import { runCheckpoint } from '../../apps/audit-cli/src/checkpoint';
import { runVerify } from '../../apps/audit-cli/src/verify';
import {
  bearer,
  recordTrial,
  runAuditCli,
  startAuditApp,
  submit,
  whenReadModelsCaughtUp,
  type RecordedTrial,
  verifyThroughApi,
} from './audit-trial';

/** A command-line tool run in this process (no start-up cost), as `runAuditCli` would run it. */
async function runInProcess(
  main: (argv: string[], env: NodeJS.ProcessEnv, io: { out(line: string): void; err(line: string): void }) => Promise<number>,
  argv: string[],
  databaseUrl: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    {
      out: (line) => (stdout += `${line}\n`),
      err: (line) => (stderr += `${line}\n`),
    },
  );
  return { code, stdout, stderr };
}

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
    const [row] = await app.dataSource.query(
      `SELECT stream_id, stream_version, event_id::text FROM event_store.events WHERE event_id = $1`,
      [trial.ids.brunoIgm],
    );
    tampered = { streamId: row.stream_id, streamVersion: row.stream_version, eventId: row.event_id };
  });
  afterAll(() => app?.close());

  describe('while the log is intact', () => {
    it('reports every chain and every read model as holding', async () => {
      const body = await verifyThroughApi(app, trial.auditor);
      expect(body.ok).toBe(true);
      expect(body.log).toMatchObject({ ok: true, brokenLinks: [] });
      const [{ stored }] = await app.dataSource.query(`SELECT count(*)::int AS stored FROM event_store.events`);
      expect(body.log.eventsChecked).toBe(stored);
      expect(body.readModels.length).toBeGreaterThan(0);
      for (const check of body.readModels) expect(check).toMatchObject({ identical: true, error: null });
      expect(body.summary.at(-1)).toBe('verification passed');
    });

    it('runs as a job, one at a time: a second start while one runs answers the running job; an unknown job is a 404', async () => {
      const [first, second] = await Promise.all([
        bearer(app, trial.auditor).get('/audit/verify'),
        bearer(app, trial.auditor).get('/audit/verify'),
      ]);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.jobId).toBe(first.body.jobId);
      const unknown = await bearer(app, trial.auditor).get('/audit/verify/00000000-0000-4000-8000-000000000000').expect(404);
      expect(unknown.body.details).toEqual([{ field: 'jobId', rule: 'exists' }]);
      expect((await verifyThroughApi(app, trial.auditor)).ok).toBe(true);
    });

    it('lets the command-line check exit 0', async () => {
      const result = await runAuditCli('verify', [], app.database.url);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/could not run/) });
      expect(result.stdout).toMatch(/event log: intact/);
      expect(result.stdout).toMatch(/verification passed/);
    });
  });

  describe('after a stored value was changed behind the database’s back', () => {
    beforeAll(async () => {
      await alterBehindTheDatabasesBack(
        app,
        `UPDATE event_store.events SET data = jsonb_set(data, '{value}', '97.5') WHERE event_id = $1`,
        [tampered.eventId],
      );
    });

    it('names the altered event’s stream and version as the first broken link of that stream', async () => {
      const body = await verifyThroughApi(app, trial.auditor);
      expect(body.ok).toBe(false);
      expect(body.log.brokenLinks).toEqual([
        {
          streamId: tampered.streamId,
          streamVersion: tampered.streamVersion,
          eventId: tampered.eventId,
          globalPosition: expect.any(String),
          problem: 'hash-mismatch',
        },
      ]);
      expect(body.summary).toContainEqual(expect.stringContaining(`${tampered.streamId} version ${tampered.streamVersion}`));
      expect(body.summary.at(-1)).toBe('verification FAILED');
    });

    it('makes the command-line check exit non-zero, naming the stream and version', async () => {
      const result = await runAuditCli('verify', [], app.database.url);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${tampered.streamId} version ${tampered.streamVersion}`);
      expect(result.stdout).toMatch(/hash-mismatch/);
      expect(result.stdout).toMatch(/verification FAILED/);
    });

    it('gives the same report as JSON on request', async () => {
      const result = await runAuditCli('verify', ['--json'], app.database.url);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).log.brokenLinks).toEqual([
        expect.objectContaining({ streamId: tampered.streamId, streamVersion: tampered.streamVersion }),
      ]);
    });
  });

  describe('after a read-model row was changed behind the runtime’s back', () => {
    beforeAll(async () => {
      await app.dataSource.query(`UPDATE registry.patients SET total_events = total_events + 100 WHERE patient_id = $1`, [trial.anna]);
    });

    it('reports the read model as differing from a rebuild, with the row’s key', async () => {
      const body = await verifyThroughApi(app, trial.auditor);
      const registry = body.readModels.find((check: { projection: string }) => check.projection === 'registry');
      expect(registry.identical).toBe(false);
      const patients = registry.tables.find((table: { table: string }) => table.table === 'patients');
      expect(patients.differences).toEqual([{ key: { patient_id: trial.anna }, kind: 'changed' }]);
      expect(body.summary).toContainEqual(expect.stringMatching(/read model registry: DIFFERS/));
    });
  });

  it('refuses unknown options with exit code 2 and the usage', async () => {
    const result = await runAuditCli('verify', ['--fix-it'], app.database.url);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: npm run audit:verify/);
  });
});

/**
 * Nine attacks by someone with superuser access, each on its own patient stream, after the auditor kept a
 * checkpoint. The last three leave every chain internally consistent (hashes recomputed with the stolen
 * salts, heads rewritten or rewound, order columns moved): only the kept checkpoint can catch them.
 */
describe('tamper evidence anchored in a kept checkpoint: 9 of 9 attacks detected', () => {
  let app: TestApp;
  let auditor: string;
  const streams: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'trialstream-checkpoint-'));
  const checkpointFile = path.join(dir, 'checkpoint.json');

  type Q = (sql: string, parameters?: unknown[]) => Promise<any[]>;
  /** As a superuser would: switch the append-only triggers off, change rows, switch them back on. */
  async function asSuperuser(work: (query: Q) => Promise<void>): Promise<void> {
    await app.dataSource.transaction(async (manager) => {
      const query: Q = (sql, parameters = []) => manager.query(sql, parameters);
      for (const table of ['event_store.events', 'event_audit.event_salts']) await query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
      await work(query);
      for (const table of ['event_store.events', 'event_audit.event_salts']) await query(`ALTER TABLE ${table} ENABLE TRIGGER ALL`);
      await query('ALTER TABLE event_store.events ENABLE ALWAYS TRIGGER events_append_only');
      await query('ALTER TABLE event_audit.event_salts ENABLE ALWAYS TRIGGER event_salts_append_only');
    });
  }

  /** Rewrites the stream's events from `fromVersion` on so every hash holds again, as an attacker with the salts can. */
  async function rechain(query: Q, streamId: string, fromVersion: number, rewriteHead: boolean): Promise<void> {
    const rows: Array<EventRow & { salt: string }> = await query(
      `SELECT ${EVENT_COLUMNS}, s.salt FROM event_store.events AS e JOIN event_audit.event_salts s USING (event_id)
        WHERE e.stream_id = $1 ORDER BY e.stream_version`,
      [streamId],
    );
    let previousHash = rows[fromVersion - 2]?.hash ?? GENESIS_HASH;
    for (const row of rows.slice(fromVersion - 1)) {
      const hash = computeEventHash(chainedFields({ ...toStoredEnvelope(row), previousHash }), row.salt);
      await query(`UPDATE event_store.events SET previous_hash = $2, hash = $3 WHERE event_id = $1`, [row.event_id, previousHash, hash]);
      previousHash = hash;
    }
    if (rewriteHead) await query(`UPDATE event_store.streams SET last_hash = $2 WHERE stream_id = $1`, [streamId, previousHash]);
  }

  const attacks: Array<{ name: string; attack: (query: Q, streamId: string) => Promise<void> }> = [
    {
      name: 'altered data',
      attack: (q, s) =>
        q(`UPDATE event_store.events SET data = jsonb_set(data, '{value}', '2.5') WHERE stream_id = $1 AND stream_version = 3`, [s]).then(
          () => undefined,
        ),
    },
    {
      name: 'deleted middle',
      attack: (q, s) => q(`DELETE FROM event_store.events WHERE stream_id = $1 AND stream_version = 3`, [s]).then(() => undefined),
    },
    {
      name: 'deleted tail',
      attack: (q, s) => q(`DELETE FROM event_store.events WHERE stream_id = $1 AND stream_version = 5`, [s]).then(() => undefined),
    },
    {
      name: 'swapped versions',
      attack: async (q, s) => {
        await q(`UPDATE event_store.events SET stream_version = 1000 WHERE stream_id = $1 AND stream_version = 3`, [s]);
        await q(`UPDATE event_store.events SET stream_version = 3 WHERE stream_id = $1 AND stream_version = 4`, [s]);
        await q(`UPDATE event_store.events SET stream_version = 4 WHERE stream_id = $1 AND stream_version = 1000`, [s]);
      },
    },
    {
      name: 'overwritten hash',
      attack: (q, s) =>
        q(`UPDATE event_store.events SET hash = $2 WHERE stream_id = $1 AND stream_version = 3`, [s, 'f'.repeat(64)]).then(() => undefined),
    },
    {
      name: 'data altered, hashes recomputed to the head',
      attack: async (q, s) => {
        await q(`UPDATE event_store.events SET data = jsonb_set(data, '{value}', '2.5') WHERE stream_id = $1 AND stream_version = 3`, [s]);
        await rechain(q, s, 3, false);
      },
    },
    {
      name: 'data altered, hashes recomputed, head rewritten',
      attack: async (q, s) => {
        await q(`UPDATE event_store.events SET data = jsonb_set(data, '{value}', '2.5') WHERE stream_id = $1 AND stream_version = 3`, [s]);
        await rechain(q, s, 3, true);
      },
    },
    {
      name: 'tail deleted, head rewound',
      attack: async (q, s) => {
        const [{ hash }] = await q(`SELECT hash FROM event_store.events WHERE stream_id = $1 AND stream_version = 4`, [s]);
        await q(`DELETE FROM event_store.events WHERE stream_id = $1 AND stream_version = 5`, [s]);
        await q(`UPDATE event_store.streams SET version = 4, last_hash = $2 WHERE stream_id = $1`, [s, hash]);
      },
    },
    {
      name: 'altered order columns',
      attack: async (q, s) => {
        // Moves the last event after everything else in the catch-up order; the stream's own order still holds.
        await q(`ALTER TABLE event_store.events ALTER COLUMN global_position DROP IDENTITY`);
        await q(
          `UPDATE event_store.events SET global_position = (SELECT max(global_position) + 1000 FROM event_store.events),
                  transaction_id = (SELECT max(transaction_id::text::bigint) + 1000 FROM event_store.events)::text::xid8
            WHERE stream_id = $1 AND stream_version = 5`,
          [s],
        );
      },
    },
  ];

  beforeAll(async () => {
    app = await startAuditApp();
    const { coordinators } = await trialWithSites(app, ['S01']);
    auditor = await app.userToken('auditor');
    for (let i = 1; i <= attacks.length; i++) {
      const patientId = await randomizedPatient(app, coordinators.S01, 'S01', String(i).padStart(4, '0'));
      for (const value of [10.5, 11.25, 12]) await submit(app, coordinators.S01, `/patients/${patientId}/labs`, labBody({ value }));
      streams.push(`patient-${patientId}`);
    }
    const kept = await runInProcess(runCheckpoint, ['--out', checkpointFile], app.database.url);
    if (kept.code !== 0) throw new Error(`audit:checkpoint failed: ${kept.stderr}`);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the checkpoint it records, and lists it to auditors only', async () => {
    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    expect(checkpoint).toMatchObject({
      format: 'trialstream-checkpoint/1',
      position: expect.stringMatching(/^\d+$/),
      root: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(checkpoint.streams.map((stream: { streamId: string }) => stream.streamId)).toEqual(expect.arrayContaining(streams));
    const { body } = await bearer(app, auditor).get('/audit/checkpoints').expect(200);
    expect(body.checkpoints).toEqual([
      expect.objectContaining({ root: checkpoint.root, position: checkpoint.position, takenAt: checkpoint.takenAt }),
    ]);
    const coordinator = await app.userToken('site_coordinator', ['S01']);
    await bearer(app, coordinator).get('/audit/checkpoints').expect(403);
  });

  it('detects every attack; the three that keep the chains consistent only against the checkpoint, by stream and version', async () => {
    await asSuperuser(async (query) => {
      for (const [index, { attack }] of attacks.entries()) await attack(query, streams[index]);
    });
    const fingerprint = () => app.dataSource.query(`SELECT md5(string_agg(e::text, ',' ORDER BY event_id)) AS f FROM event_store.events e`);
    const before = await fingerprint();

    const result = await runInProcess(runVerify, ['--against', checkpointFile, '--log-only', '--json'], app.database.url);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const detected = attacks.map(({ name }, index) => {
      const streamId = streams[index];
      const inChain = report.log.brokenLinks.find((link: { streamId: string }) => link.streamId === streamId);
      const inAnchor = report.anchor.differences.find((difference: { streamId: string }) => difference.streamId === streamId);
      return {
        name,
        chain: inChain ? `${inChain.problem}@${inChain.streamVersion}` : null,
        anchor: inAnchor ? `${inAnchor.kind}@${inAnchor.streamVersion}` : null,
      };
    });
    expect(detected).toEqual([
      { name: 'altered data', chain: 'hash-mismatch@3', anchor: null },
      { name: 'deleted middle', chain: 'version-gap@4', anchor: 'missing@3' },
      { name: 'deleted tail', chain: 'head-mismatch@5', anchor: 'missing@5' },
      { name: 'swapped versions', chain: expect.stringMatching(/@3$/), anchor: 'hash@3' },
      { name: 'overwritten hash', chain: 'hash-mismatch@3', anchor: 'hash@3' },
      { name: 'data altered, hashes recomputed to the head', chain: 'head-mismatch@5', anchor: 'hash@3' },
      { name: 'data altered, hashes recomputed, head rewritten', chain: null, anchor: 'hash@3' },
      { name: 'tail deleted, head rewound', chain: null, anchor: 'missing@5' },
      { name: 'altered order columns', chain: null, anchor: 'position@5' },
    ]);
    expect(detected.filter((attack) => attack.chain !== null || attack.anchor !== null)).toHaveLength(9);
    expect(report.anchor.differences[0]).toEqual(expect.objectContaining({ streamId: streams[1], streamVersion: 3 }));

    const text = await runInProcess(runVerify, ['--against', checkpointFile, '--log-only'], app.database.url);
    expect(text.stdout).toMatch(/checkpoint of .*: DIFFERS, first at patient-S01-0002 version 3/);
    expect(await fingerprint()).toEqual(before);
  });

  it.each([
    ['not JSON', '{"format":', /checkpoint file .* is not a valid checkpoint: file: not JSON/],
    [
      'a missing position',
      JSON.stringify({ format: 'trialstream-checkpoint/1', takenAt: '2026-06-01T12:00:00Z' }),
      /position: must be a decimal string/,
    ],
  ])('refuses a checkpoint file that is %s with exit code 2, naming what is wrong', async (_case, content, message) => {
    const file = path.join(dir, `bad-${randomUUID()}.json`);
    writeFileSync(file, content);
    const result = await runInProcess(runVerify, ['--against', file, '--log-only'], app.database.url);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  });

  it('refuses a checkpoint file whose content no longer matches its root', async () => {
    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    checkpoint.streams.pop();
    checkpoint.eventCount = checkpoint.streams.reduce((sum: number, stream: { events: unknown[] }) => sum + stream.events.length, 0);
    const file = path.join(dir, 'edited.json');
    writeFileSync(file, JSON.stringify(checkpoint));
    const result = await runInProcess(runVerify, ['--against', file, '--log-only'], app.database.url);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(/root: does not match the content/),
    });
  });
});
