import { randomUUID } from 'node:crypto';
import { openDatabase } from '@trialstream/database';
import { EVENT_STORE_MIGRATIONS, GENESIS_HASH, PostgresEventStore, chainedFields, computeEventHash } from '@trialstream/event-store';
import { createTestDatabase, type TestDatabase } from '@trialstream/testing';
import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '@trialstream/domain';
import { anAppend, anEvent, coordinator, newPatientStream } from './event-store-harness';

/** An event written the way the store wrote them before salts existed (chain format 1), by hand. */
async function storeUnsaltedEvent(dataSource: DataSource, streamId: string): Promise<EventEnvelope> {
  const event: EventEnvelope = {
    eventId: randomUUID(),
    type: 'VitalSignsRecorded',
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    globalPosition: '',
    transactionId: '',
    siteId: 'site-101',
    actor: coordinator,
    occurredAt: '2025-03-04',
    recordedAt: '2025-03-04T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    submissionId: null,
    amends: null,
    data: { systolicMmHg: 131 },
    previousHash: GENESIS_HASH,
    hash: '',
  };
  event.hash = computeEventHash(chainedFields(event));
  await dataSource.query(
    `INSERT INTO event_store.events (event_id, stream_id, stream_version, type, schema_version, site_id, actor_id, actor_role,
       occurred_at, recorded_at, correlation_id, data, previous_hash, hash)
     VALUES ($1, $2, 1, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      event.eventId,
      streamId,
      event.type,
      event.siteId,
      coordinator.userId,
      coordinator.role,
      event.occurredAt,
      event.recordedAt,
      event.correlationId,
      JSON.stringify(event.data),
      GENESIS_HASH,
      event.hash,
    ],
  );
  await dataSource.query(`INSERT INTO event_store.streams (stream_id, version, last_hash) VALUES ($1, 1, $2)`, [streamId, event.hash]);
  return event;
}

describe('the chain commits to every event with a per-event secret salt, kept apart', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const legacyStream = newPatientStream();
  let legacy: EventEnvelope;

  beforeAll(async () => {
    database = await createTestDatabase('salts');
    // A store that already held events when the salted format arrived.
    const before = await openDatabase({ url: database.url, migrations: EVENT_STORE_MIGRATIONS.slice(0, 2), poolSize: 2 });
    legacy = await storeUnsaltedEvent(before, legacyStream);
    await before.destroy();
    dataSource = await openDatabase({ url: database.url, migrations: EVENT_STORE_MIGRATIONS, poolSize: 4 });
    store = new PostgresEventStore(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps verifying events stored before the salted format, and salts every event after it', async () => {
    const outcome = await store.append(anAppend({ streamId: legacyStream, expectedVersion: 1, events: [anEvent()] }));
    if (outcome.status !== 'appended') throw new Error(outcome.status);
    const [old, salted] = await store.readStream(legacyStream);
    expect(old.hash).toBe(legacy.hash);
    expect(salted.previousHash).toBe(legacy.hash);

    const salts = await store.chainSalts([old.eventId, salted.eventId]);
    expect(salts.has(old.eventId)).toBe(false);
    expect(salts.get(salted.eventId)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeEventHash(chainedFields(salted), salts.get(salted.eventId))).toBe(salted.hash);
    expect(await store.verifyIntegrity()).toMatchObject({ ok: true, eventsChecked: 2, brokenLinks: [] });
  });

  it('makes a hash useless as an oracle: the event recomputed without its salt, or with another, does not match', async () => {
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, events: [anEvent({ data: { analyte: 'CD19', value: 0 } })] }));
    const [event] = await store.readStream(streamId);
    expect(computeEventHash(chainedFields(event))).not.toBe(event.hash);
    expect(computeEventHash(chainedFields(event), 'ab'.repeat(32))).not.toBe(event.hash);
  });

  it('reports a salted event whose salt was removed', async () => {
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, events: [anEvent()] }));
    const [event] = await store.readStream(streamId);
    await dataSource.transaction(async (manager) => {
      await manager.query('ALTER TABLE event_audit.event_salts DISABLE TRIGGER ALL');
      await manager.query('DELETE FROM event_audit.event_salts WHERE event_id = $1', [event.eventId]);
      await manager.query('ALTER TABLE event_audit.event_salts ENABLE ALWAYS TRIGGER event_salts_append_only');
    });
    const { brokenLinks } = await store.verifyIntegrity();
    expect(brokenLinks).toEqual([expect.objectContaining({ streamId, streamVersion: 1, problem: 'salt-missing' })]);
  });

  it('lets the application role write salts but never read them; the verifying role reads them', async () => {
    const asRole = async (role: string, sql: string) => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(`SET LOCAL ROLE ${role}`);
        return await runner.query(sql).then(
          () => 'allowed',
          (error: Error) => error.message,
        );
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    expect(await asRole('trialstream_app', 'SELECT salt FROM event_audit.event_salts')).toMatch(/permission denied/);
    expect(await asRole('trialstream_app', `INSERT INTO event_audit.event_salts VALUES ('${randomUUID()}', '${'0'.repeat(64)}')`)).toBe(
      'allowed',
    );
    expect(await asRole('trialstream_app', 'SELECT count(*) FROM event_store.events')).toBe('allowed');
    expect(await asRole('trialstream_auditor', 'SELECT salt FROM event_audit.event_salts')).toBe('allowed');
    expect(await asRole('trialstream_auditor', 'INSERT INTO event_store.events (event_id) VALUES (gen_random_uuid())')).toMatch(
      /permission denied/,
    );
  });
});
