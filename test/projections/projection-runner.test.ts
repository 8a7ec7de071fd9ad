import {
  ProjectionRunner,
  REGISTRY_PROJECTION,
  createProjectionSchema,
  defineProjection,
  entryOf,
  type RowAccess,
} from '@trialstream/projections';
import { seededRandom, shuffled, type EventEnvelope } from '@trialstream/domain';
import { infusion } from '@trialstream/projections/testing/patient-stories';
import {
  append,
  checkpointOf,
  openProjectionHarness,
  readAllOf,
  registryPoisonedBy,
  registrySnapshot,
  tableRows,
  type ProjectionHarness,
} from './projection-harness';
import { recordTrial } from './trial-builder';

const lastCheckpointOf = (events: EventEnvelope[]) => {
  const last = events[events.length - 1];
  return { transactionId: last.transactionId, globalPosition: last.globalPosition };
};

describe('the projection runner on PostgreSQL', () => {
  let harness: ProjectionHarness;
  let trialEvents: EventEnvelope[];
  let schemas = 0;

  beforeAll(async () => {
    harness = await openProjectionHarness();
    const trial = await recordTrial(harness.store, 6);
    trialEvents = await readAllOf(harness.store, trial.events.length);
  });
  afterAll(() => harness?.close());

  /** A runner on a fresh copy of the registry's schema, so each test starts from an empty read model. */
  async function freshRegistry(projection = REGISTRY_PROJECTION): Promise<ProjectionRunner> {
    const schema = `registry_t${++schemas}`;
    await createProjectionSchema(harness.dataSource, projection, schema);
    return new ProjectionRunner(projection, harness.dataSource, harness.store, {
      schema,
      logger: { warn: () => undefined, error: () => undefined },
    });
  }

  /** Every transaction that writes the table fails at COMMIT, until the returned function is called. */
  async function failCommitsOf(schema: string, table: string): Promise<() => Promise<void>> {
    await harness.dataSource.query(`
      CREATE FUNCTION "${schema}".fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated crash before commit'; END $$`);
    await harness.dataSource.query(`
      CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT OR UPDATE ON "${schema}"."${table}"
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".fail_at_commit()`);
    return async () => {
      await harness.dataSource.query(`DROP TRIGGER fail_at_commit ON "${schema}"."${table}"`);
    };
  }

  it('applies a redelivered batch only once', async () => {
    const runner = await freshRegistry();
    const first = await runner.applyBatch(trialEvents, lastCheckpointOf(trialEvents));
    const once = await registrySnapshot(harness.dataSource, runner.schema);

    const again = await runner.applyBatch(trialEvents, lastCheckpointOf(trialEvents));

    expect(first).toEqual({ applied: trialEvents.length, skipped: 0, filled: 0, deadLettered: 0 });
    expect(again).toEqual({ applied: 0, skipped: trialEvents.length, filled: 0, deadLettered: 0 });
    expect(await registrySnapshot(harness.dataSource, runner.schema)).toEqual(once);
    const totalEvents = once.patients.reduce((sum, row) => sum + (row.total_events as number), 0);
    expect(totalEvents).toBe(trialEvents.filter((event) => event.streamId.startsWith('patient-')).length);
  });

  it('yields identical rows whatever the delivery order, batch size and duplicates', async () => {
    const inOrder = await freshRegistry();
    await inOrder.applyBatch(trialEvents);
    const expected = await registrySnapshot(harness.dataSource, inOrder.schema);

    for (const seed of [7, 42]) {
      const random = seededRandom(seed);
      const runner = await freshRegistry();
      const delivery = shuffled([...trialEvents, ...trialEvents.slice(0, 10)], random);
      for (let start = 0; start < delivery.length;) {
        const size = 1 + Math.floor(random() * 9);
        await runner.applyBatch(delivery.slice(start, start + size));
        start += size;
      }
      expect(await registrySnapshot(harness.dataSource, runner.schema)).toEqual(expected);
    }
  });

  it('fills a gap from the store when a later stream version arrives first', async () => {
    const runner = await freshRegistry();
    const stream = trialEvents.filter((event) => event.streamId === 'patient-A01-002');
    expect(stream.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5]);

    const result = await runner.applyBatch([stream[3]]);
    const [patient] = (await tableRows(harness.dataSource, runner.schema, 'patients')).filter((row) => row.patient_id === 'A01-002');

    expect(result).toMatchObject({ applied: 4, filled: 3 });
    expect(patient).toMatchObject({ status: 'randomized', total_events: 4, last_stream_version: 4, last_event_type: 'LabResulted' });
    expect(await runner.applyBatch(stream.slice(0, 3))).toMatchObject({ applied: 0, skipped: 3 });
    expect(await runner.appliedVersions(['patient-A01-002'])).toEqual(new Map([['patient-A01-002', 4]]));
  });

  it('keeps neither rows nor applied versions nor checkpoint of a batch whose commit fails', async () => {
    const runner = await freshRegistry();
    const checkpointBefore = await checkpointOf(harness.dataSource, runner.schema);
    // Fails at COMMIT, after every row of the batch was written: the moment a crash would hit hardest.
    const commitsAgain = await failCommitsOf(runner.schema, '_checkpoint');
    await expect(runner.applyBatch(trialEvents, lastCheckpointOf(trialEvents))).rejects.toThrow('simulated crash before commit');

    expect(await registrySnapshot(harness.dataSource, runner.schema)).toEqual({ patients: [], sites: [], streams: [] });
    expect(await checkpointOf(harness.dataSource, runner.schema)).toEqual(checkpointBefore);
    expect(await runner.deadLetters()).toEqual([]);

    await commitsAgain();
    expect(await runner.applyBatch(trialEvents, lastCheckpointOf(trialEvents))).toMatchObject({ applied: trialEvents.length });
    expect(await checkpointOf(harness.dataSource, runner.schema)).toEqual({
      transaction_id: lastCheckpointOf(trialEvents).transactionId,
      global_position: lastCheckpointOf(trialEvents).globalPosition,
    });
  });

  it('sends an event whose handler throws to the dead-letter table and applies the rest', async () => {
    const poisonStream = 'patient-A01-003';
    const [poison] = await append(harness.store, poisonStream, 'A01', [infusion(3)]);
    const [afterPoison] = await append(harness.store, poisonStream, 'A01', [infusion(4)]);
    const fragile = registryPoisonedBy(poison.eventId);
    const runner = await freshRegistry(fragile);
    const events = [...trialEvents, poison, afterPoison];

    const result = await runner.applyBatch(events, lastCheckpointOf([afterPoison]));

    expect(result).toEqual({ applied: events.length - 1, skipped: 0, filled: 0, deadLettered: 1 });
    const [deadLetter, ...others] = await runner.deadLetters();
    expect(others).toEqual([]);
    expect(deadLetter).toMatchObject({
      eventId: poison.eventId,
      streamId: poisonStream,
      streamVersion: poison.streamVersion,
      type: 'InfusionGiven',
    });
    expect(deadLetter.error).toContain('dose field unreadable');
    expect(deadLetter.event).toEqual(poison);

    const [patient] = (await tableRows(harness.dataSource, runner.schema, 'patients')).filter((row) => row.patient_id === 'A01-003');
    expect(patient).toMatchObject({ last_stream_version: afterPoison.streamVersion, total_events: afterPoison.streamVersion - 1 });
    expect(await runner.appliedVersions([poisonStream])).toEqual(new Map([[poisonStream, afterPoison.streamVersion]]));
    expect(await checkpointOf(harness.dataSource, runner.schema)).toMatchObject({ global_position: afterPoison.globalPosition });

    expect(await runner.applyBatch([poison, afterPoison])).toMatchObject({ applied: 0, skipped: 2, deadLettered: 0 });
    expect(await runner.deadLetters()).toHaveLength(1);
  });

  it("runs a projection's end-of-batch work once per batch, and dead-letters the event whose deferred work fails", async () => {
    // each stream's last infusion, written at the end of the batch rather than per event
    const owed = new WeakMap<RowAccess, Map<string, EventEnvelope>>();
    let completions = 0;
    let poisonId = '';
    const lastInfusions = defineProjection({
      name: 'last_infusions',
      version: 1,
      tables: [{ name: 'streams', columns: { stream_id: 'text', stream_version: 'integer' }, primaryKey: ['stream_id'] }],
      handlers: {
        InfusionGiven: (event, rows) => {
          entryOf(owed, rows, () => new Map()).set(event.streamId, event);
        },
      },
      completeBatch: (rows) => {
        completions += 1;
        for (const event of owed.get(rows)?.values() ?? []) {
          if (event.eventId === poisonId) throw new Error('deferred work failed');
          rows.put('streams', { stream_id: event.streamId, stream_version: event.streamVersion });
        }
      },
    });
    const lastVersions = (events: EventEnvelope[]) =>
      [...new Map(events.filter((event) => event.type === 'InfusionGiven').map((event) => [event.streamId, event.streamVersion]))]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([stream_id, stream_version]) => ({ stream_id, stream_version }));
    const runnerOf = async (schema: string) => {
      await createProjectionSchema(harness.dataSource, lastInfusions, schema);
      return new ProjectionRunner(lastInfusions, harness.dataSource, harness.store, {
        schema,
        logger: { warn: () => undefined, error: () => undefined },
      });
    };

    const whole = await runnerOf('last_infusions_whole');
    await whole.applyBatch(trialEvents);
    expect(completions).toBe(1);
    expect(await tableRows(harness.dataSource, whole.schema, 'streams')).toEqual(lastVersions(trialEvents));

    const poisonStream = 'patient-A01-004';
    const [poison] = await append(harness.store, poisonStream, 'A01', [infusion(3)]);
    const [afterPoison] = await append(harness.store, poisonStream, 'A01', [infusion(4)]);
    poisonId = poison.eventId;
    const failing = await runnerOf('last_infusions_poisoned');
    const result = await failing.applyBatch([...trialEvents, poison]);
    expect(result).toMatchObject({ applied: trialEvents.length, deadLettered: 1 });
    expect((await failing.deadLetters()).map((letter) => letter.eventId)).toEqual([poison.eventId]);
    expect(await tableRows(harness.dataSource, failing.schema, 'streams')).toEqual(lastVersions(trialEvents));
    await failing.applyBatch([afterPoison]);
    expect(await tableRows(harness.dataSource, failing.schema, 'streams')).toEqual(lastVersions([...trialEvents, poison, afterPoison]));
  });

  it("offers a stream's carried state to the runner's next batch only while the read model's applied version is the carried one", async () => {
    // infusions per stream, counted on from the carried count when one is offered: a stale count would show in the row
    const counted = new WeakMap<RowAccess, Map<string, number>>();
    const offered: Array<unknown> = [];
    const counting = defineProjection({
      name: 'infusion_counts',
      version: 1,
      tables: [{ name: 'counts', columns: { stream_id: 'text', infusions: 'integer' }, primaryKey: ['stream_id'] }],
      handlers: {
        InfusionGiven: async (event, rows) => {
          const batch = entryOf(counted, rows, () => new Map<string, number>());
          let count = batch.get(event.streamId);
          if (count === undefined) {
            const carried = rows.carried(event.streamId);
            offered.push(carried);
            count = (carried as number | undefined) ?? ((await rows.get('counts', event.streamId))?.infusions as number | undefined) ?? 0;
          }
          batch.set(event.streamId, count + 1);
          rows.put('counts', { stream_id: event.streamId, infusions: count + 1 });
          rows.carry(event.streamId, count + 1);
        },
      },
    });
    const schema = 'infusion_counts_carried';
    await createProjectionSchema(harness.dataSource, counting, schema);
    const runnerOn = () =>
      new ProjectionRunner(counting, harness.dataSource, harness.store, {
        schema,
        logger: { warn: () => undefined, error: () => undefined },
      });
    const [first, other] = [runnerOn(), runnerOn()];
    const streamId = 'patient-A01-005';
    const infusions: EventEnvelope[] = [];
    for (let index = 1; index <= 6; index++) infusions.push(...(await append(harness.store, streamId, 'A01', [infusion(index)])));
    const count = async () => (await tableRows(harness.dataSource, schema, 'counts')).map((row) => row.infusions);

    await first.applyBatch(infusions.slice(0, 2));
    await first.applyBatch([infusions[2]]);
    expect(offered).toEqual([undefined, 2]);
    // another runner of the same read model (a second instance) moves the stream on
    await other.applyBatch([infusions[3]]);
    await first.applyBatch([infusions[4]]);
    expect(offered).toEqual([undefined, 2, undefined, undefined]);
    expect(await count()).toEqual([5]);

    // a batch that fails at commit keeps nothing it carried, and drops what was carried before it
    const commitsAgain = await failCommitsOf(schema, 'counts');
    await expect(first.applyBatch([infusions[5]])).rejects.toThrow('simulated crash before commit');
    await commitsAgain();
    await first.applyBatch([infusions[5]]);
    expect(offered).toEqual([undefined, 2, undefined, undefined, 5, undefined]);
    expect(await count()).toEqual([6]);
  });
});
