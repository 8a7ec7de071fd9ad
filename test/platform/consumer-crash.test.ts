import { openDatabase } from '@trialstream/database';
import { upcastStoredEvent } from '@trialstream/domain';
import { PostgresEventStore } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { enrolment, labResult, patientStream, siteActivation } from '@trialstream/projections/testing/patient-stories';
import { aCoordinator } from '@trialstream/domain/testing';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';
import { whenProjectionCaughtUp } from '../support/projections';
import { waitUntil } from '../support/eventually';

const PATIENTS = 60;
const LABS_PER_ROUND = 10;
const ROUNDS = 5;

describe('a projection consumer killed mid-stream', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    await assertKafkaReachable();
    database = await createTestDatabase('crash');
    dataSource = await openDatabase({ url: database.url, migrations: PLATFORM_MIGRATIONS, poolSize: 4 });
    store = new PostgresEventStore(dataSource, { upcast: upcastStoredEvent });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await dataSource?.destroy();
    await database?.drop();
  });

  const appendRound = async (round: number) => {
    await Promise.all(
      Array.from({ length: PATIENTS }, async (_, n) => {
        const screening = String(n).padStart(4, '0');
        const streamId = patientStream('S01', screening);
        const drafts = Array.from({ length: LABS_PER_ROUND }, (_, lab) => labResult(10 + round + lab / 100));
        const outcome = await store.append({
          streamId,
          expectedVersion: await store.streamVersion(streamId),
          events: round === 0 ? [enrolment('S01', screening), ...drafts] : drafts,
          siteId: 'S01',
          actor: aCoordinator,
        });
        if (outcome.status !== 'appended') throw new Error(`append to ${streamId}: ${outcome.status}`);
      }),
    );
  };

  it('loses no event and applies none twice after SIGKILL and restart (count per patient equals the store)', async () => {
    const env = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC: uniqueTopic('consumer-crash'),
      KAFKA_PARTITIONS: '3',
    };
    await store.append({ streamId: 'site-S01', expectedVersion: 0, events: [siteActivation('S01')], siteId: 'S01', actor: aCoordinator });
    processes.push(await AppProcess.start('relay', env));
    let consumer = await AppProcess.start('monitoring', env);
    processes.push(consumer);

    await appendRound(0);
    const applied = async () =>
      (await dataSource.query(`SELECT coalesce(sum(total_events), 0)::int AS n FROM registry.patients`))[0].n as number;
    await waitUntil(async () => (await applied()) > 0, 60_000, 'the consumer to apply something', 100);

    // Kill it while more events keep arriving, keep appending while it is down, then restart it.
    const killed = appendRound(1);
    expect((await consumer.stop('SIGKILL')).signal).toBe('SIGKILL');
    await killed;
    for (let round = 2; round < ROUNDS; round++) await appendRound(round);
    consumer = await AppProcess.start('monitoring', env);
    processes.push(consumer);

    await whenProjectionCaughtUp(dataSource, 'registry', 120_000);
    const stored: Array<{ stream_id: string; n: number }> = await dataSource.query(
      `SELECT stream_id, count(*)::int AS n FROM event_store.events WHERE stream_id LIKE 'patient-%' GROUP BY stream_id ORDER BY stream_id`,
    );
    const projected: Array<{ stream_id: string; n: number }> = await dataSource.query(
      `SELECT 'patient-' || patient_id AS stream_id, total_events AS n FROM registry.patients ORDER BY 1`,
    );
    expect(stored).toHaveLength(PATIENTS);
    expect(stored.every((row) => row.n === 1 + ROUNDS * LABS_PER_ROUND)).toBe(true);
    expect(projected).toEqual(stored);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM registry._dead_letters`)).toEqual([{ n: 0 }]);
  });
});
