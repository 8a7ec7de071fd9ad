import { appendInTransaction, chainedFields, computeEventHash } from '@trialstream/event-store';
import type { QueryRunner } from 'typeorm';
import { aSubmission, anAppend, anEvent, newPatientStream, openEventStoreHarness, type EventStoreHarness } from './event-store-harness';

describe('the event log is append-only in the database itself', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  async function aStreamWithEvents(count: number): Promise<string> {
    const streamId = newPatientStream();
    const events = Array.from({ length: count }, (_, i) => anEvent({ data: { visit: i + 1 } }));
    await harness.store().append(anAppend({ streamId, events }));
    return streamId;
  }

  /** As the database owner would, bypassing the application entirely. */
  async function behindTheDatabasesBack(table: string, sql: string, parameters: unknown[]) {
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table.split('.')[1]}_append_only`);
      await runner.query(sql, parameters);
    } finally {
      await runner.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${table.split('.')[1]}_append_only`);
      await runner.release();
    }
  }

  it('connects as a superuser in these tests, so the trigger alone is what stops the statements below', async () => {
    const [{ rolsuper }] = await harness.dataSource.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(rolsuper).toBe(true);
  });

  it.each([
    ['UPDATE', `UPDATE event_store.events SET data = '{"systolicMmHg": 90}'`],
    ['DELETE', `DELETE FROM event_store.events`],
    ['TRUNCATE', `TRUNCATE event_store.events`],
    [
      'an upsert',
      `INSERT INTO event_store.events OVERRIDING SYSTEM VALUE SELECT * FROM event_store.events
       ON CONFLICT (global_position) DO UPDATE SET type = 'x'`,
    ],
  ])('rejects %s on events, even from a superuser', async (_statement, sql) => {
    const streamId = await aStreamWithEvents(1);
    await expect(harness.dataSource.query(sql)).rejects.toThrow(/event_store\.events is append-only/);
    expect(await harness.store().readStream(streamId)).toHaveLength(1);
  });

  it('rejects a statement that would touch no row at all, so nothing is allowed by accident', async () => {
    await expect(harness.dataSource.query(`DELETE FROM event_store.events WHERE false`)).rejects.toThrow(/append-only/);
  });

  it('keeps rejecting while replication mode disables ordinary triggers', async () => {
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await expect(runner.query(`DELETE FROM event_store.events`)).rejects.toThrow(/append-only/);
    } finally {
      await runner.query(`RESET session_replication_role`);
      await runner.release();
    }
  });

  it.each([
    ['UPDATE', `UPDATE event_store.submissions SET response = 'null'`],
    ['DELETE', `DELETE FROM event_store.submissions`],
    ['TRUNCATE', `TRUNCATE event_store.submissions`],
  ])('rejects %s on remembered submissions', async (_statement, sql) => {
    await harness.store().append(anAppend({ submission: aSubmission() }));
    await expect(harness.dataSource.query(sql)).rejects.toThrow(/event_store\.submissions is append-only/);
  });

  describe('as the application role', () => {
    async function asApplication<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
      const runner = harness.dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`SET LOCAL ROLE trialstream_app`);
        const result = await work(runner);
        await runner.commitTransaction();
        return result;
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }

    it('may append and read events', async () => {
      const streamId = newPatientStream();
      const [outcome] = await asApplication((runner) => appendInTransaction(runner, [anAppend({ streamId, submission: aSubmission() })]));
      expect(outcome.status).toBe('appended');
      const [{ count }] = await asApplication((runner) =>
        runner.query(`SELECT count(*)::int AS count FROM event_store.events WHERE stream_id = $1`, [streamId]),
      );
      expect(count).toBe(1);
    });

    it.each([
      ['UPDATE', `UPDATE event_store.events SET type = 'x'`],
      ['DELETE', `DELETE FROM event_store.events`],
      ['TRUNCATE', `TRUNCATE event_store.events`],
    ])('has no privilege to %s events', async (_statement, sql) => {
      await expect(asApplication((runner) => runner.query(sql))).rejects.toThrow(/permission denied/);
    });
  });

  describe('tampering found by chain verification', () => {
    it('finds a payload altered with the trigger disabled, naming its stream and version', async () => {
      const untouched = await aStreamWithEvents(3);
      const altered = await aStreamWithEvents(3);
      const [, second] = await harness.store().readStream(altered);

      await behindTheDatabasesBack(
        'event_store.events',
        `UPDATE event_store.events SET data = jsonb_set(data, '{systolicMmHg}', '119') WHERE event_id = $1`,
        [second.eventId],
      );

      const report = await harness.store().verifyIntegrity();
      expect(report.ok).toBe(false);
      const broken = report.brokenLinks.filter((link) => [untouched, altered].includes(link.streamId));
      expect(broken).toEqual([
        {
          streamId: altered,
          streamVersion: 2,
          eventId: second.eventId,
          globalPosition: second.globalPosition,
          problem: 'hash-mismatch',
        },
      ]);
    });

    it('finds an event removed from the middle of a stream', async () => {
      const streamId = await aStreamWithEvents(3);
      const [, second, third] = await harness.store().readStream(streamId);

      await behindTheDatabasesBack('event_store.events', `DELETE FROM event_store.events WHERE event_id = $1`, [second.eventId]);

      const report = await harness.store().verifyIntegrity();
      expect(report.brokenLinks.filter((link) => link.streamId === streamId)).toEqual([
        { streamId, streamVersion: 3, eventId: third.eventId, globalPosition: third.globalPosition, problem: 'version-gap' },
      ]);
    });

    it('finds the last event of a stream removed, by the stream head', async () => {
      const streamId = await aStreamWithEvents(2);
      const [, last] = await harness.store().readStream(streamId);

      await behindTheDatabasesBack('event_store.events', `DELETE FROM event_store.events WHERE event_id = $1`, [last.eventId]);

      const report = await harness.store().verifyIntegrity();
      expect(report.brokenLinks.filter((link) => link.streamId === streamId)).toEqual([
        { streamId, streamVersion: 2, eventId: null, globalPosition: null, problem: 'head-mismatch' },
      ]);
    });

    it('finds a rewritten event whose own hash was recomputed, at the successor that still points at the original', async () => {
      const streamId = await aStreamWithEvents(2);
      const [first, second] = await harness.store().readStream(streamId);
      const forgedData = { systolicMmHg: 118, diastolicMmHg: 76 };
      const salts = await harness.store().chainSalts([first.eventId]);
      const forgedHash = computeEventHash(chainedFields({ ...first, data: forgedData }), salts.get(first.eventId));

      await behindTheDatabasesBack('event_store.events', `UPDATE event_store.events SET data = $2, hash = $3 WHERE event_id = $1`, [
        first.eventId,
        JSON.stringify(forgedData),
        forgedHash,
      ]);

      const report = await harness.store().verifyIntegrity();
      expect(report.brokenLinks.filter((link) => link.streamId === streamId)).toEqual([
        {
          streamId,
          streamVersion: 2,
          eventId: second.eventId,
          globalPosition: second.globalPosition,
          problem: 'previous-hash-mismatch',
        },
      ]);
    });
  });
});
