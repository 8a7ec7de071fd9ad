import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendInTransaction } from '@trialstream/event-store';
import { anAppend, newPatientStream, openEventStoreHarness, type EventStoreHarness, someoneWaitsBehind } from './event-store-harness';

/** An append conditioned on another stream, as patient data is on the trial stream that a lock closes. */
describe('appends conditioned on another stream', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  const newTrialStream = () => `trial-${randomUUID().slice(0, 8)}`;

  /** The SQL text of every statement the store's own connections send until `stop`. */
  function recordStatements(dataSource: DataSource): { sql: string[]; stop(): void } {
    const sql: string[] = [];
    const create = dataSource.createQueryRunner.bind(dataSource);
    const spy = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((mode) => {
      const runner = create(mode);
      const query = runner.query.bind(runner);
      runner.query = ((text: string, ...rest: Parameters<typeof query> extends [string, ...infer R] ? R : never) => {
        sql.push(text);
        return query(text, ...rest);
      }) as typeof runner.query;
      return runner;
    });
    return { sql, stop: () => spy.mockRestore() };
  }

  it('appends while the other stream is still at the stated version, also when it does not exist yet', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const outcome = await store.append(anAppend({ condition: { streamId: trial, version: 0 } }));
    expect(outcome.status).toBe('appended');
  });

  it('refuses, storing nothing, once the other stream has moved on', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    await store.append(anAppend({ streamId: trial }));
    const streamId = newPatientStream();

    const outcome = await store.append(anAppend({ streamId, condition: { streamId: trial, version: 0 } }));

    expect(outcome).toEqual({ status: 'conflict', expectedVersion: 0, actualVersion: 1, conditionStreamId: trial });
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it.each([
    ['a stream it has not seen', false],
    ['a stream whose head row the store knows (it inserts no head row for it)', true],
  ])('waits for a writer of the other stream that has not committed yet, then sees its new version: %s', async (_, known) => {
    const store = harness.store();
    const trial = newTrialStream();
    if (known) expect((await store.append(anAppend({ condition: { streamId: trial, version: 0 } }))).status).toBe('appended');
    const runner = harness.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const [locking] = await appendInTransaction(runner, [anAppend({ streamId: trial, expectedVersion: 0 })]);
      expect(locking.status).toBe('appended');

      const streamId = newPatientStream();
      let settled = false;
      const conditioned = store.append(anAppend({ streamId, condition: { streamId: trial, version: 0 } })).finally(() => (settled = true));
      await someoneWaitsBehind(runner);
      expect(settled).toBe(false);

      await runner.commitTransaction();
      expect(await conditioned).toMatchObject({ status: 'conflict', conditionStreamId: trial, actualVersion: 1 });
      expect(await store.readStream(streamId)).toEqual([]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('lets conditioned appends of many patients go on together: share locks do not block each other', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => store.append(anAppend({ condition: { streamId: trial, version: 0 } }))),
    );
    expect(outcomes.every((outcome) => outcome.status === 'appended')).toBe(true);
  });

  it('inserts the head row of a stream conditioned on at version 0 once per store, then only locks it', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, condition: { streamId: trial, version: 0 } }));

    const statements = recordStatements(harness.dataSource);
    try {
      for (const version of [1, 2, 3]) {
        const outcome = await store.append(anAppend({ streamId, expectedVersion: version, condition: { streamId: trial, version: 0 } }));
        expect(outcome.status).toBe('appended');
      }
    } finally {
      statements.stop();
    }
    expect(statements.sql.filter((sql) => sql.includes('INSERT INTO event_store.streams'))).toEqual([]);
    expect(statements.sql.filter((sql) => sql.includes('FOR SHARE'))).toHaveLength(3);
  });

  it('creates a known head again when it is gone (a database restored under a running writer) and takes its lock', async () => {
    const store = harness.store();
    const trial = newTrialStream();
    expect((await store.append(anAppend({ condition: { streamId: trial, version: 0 } }))).status).toBe('appended');
    await harness.dataSource.query('DELETE FROM event_store.streams WHERE stream_id = $1', [trial]);

    const outcome = await store.append(anAppend({ condition: { streamId: trial, version: 0 } }));

    expect(outcome.status).toBe('appended');
    const heads = await harness.dataSource.query('SELECT version FROM event_store.streams WHERE stream_id = $1', [trial]);
    expect(heads).toEqual([{ version: 0 }]);
  });
});
