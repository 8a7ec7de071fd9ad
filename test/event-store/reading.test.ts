import type { Upcaster } from '@trialstream/event-store';
import { START_CHECKPOINT } from '@trialstream/domain';
import { anAppend, anEvent, newPatientStream, openEventStoreHarness, readAllUntil, type EventStoreHarness } from './event-store-harness';

/** Weight was recorded in pounds under schema 1; schema 2 stores kilograms. */
const weightInKilograms: Upcaster = (type, schemaVersion, data) => {
  if (type !== 'WeightRecorded' || schemaVersion !== 1) return { schemaVersion, data };
  const { weightLb } = data as { weightLb: number };
  return { schemaVersion: 2, data: { weightKg: Math.round(weightLb * 0.45359237 * 10) / 10 } };
};

describe('reading streams and the log', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  it('reads an old schema version in its current shape, while the stored event stays as written', async () => {
    const streamId = newPatientStream();
    await harness.store().append(
      anAppend({
        streamId,
        events: [
          anEvent({ type: 'WeightRecorded', schemaVersion: 1, data: { weightLb: 160 } }),
          anEvent({ type: 'WeightRecorded', schemaVersion: 2, data: { weightKg: 70.1 } }),
        ],
      }),
    );
    const upcasting = harness.store({ upcast: weightInKilograms });

    const fromStream = await upcasting.readStream(streamId);
    const fromLog = (await readAllUntil(upcasting, START_CHECKPOINT, 2)).events.filter((e) => e.streamId === streamId);

    for (const events of [fromStream, fromLog]) {
      expect(events.map(({ schemaVersion, data }) => ({ schemaVersion, data }))).toEqual([
        { schemaVersion: 2, data: { weightKg: 72.6 } },
        { schemaVersion: 2, data: { weightKg: 70.1 } },
      ]);
    }
    expect((await harness.store().readStream(streamId))[0]).toMatchObject({ schemaVersion: 1, data: { weightLb: 160 } });
    expect((await upcasting.verifyIntegrity()).ok).toBe(true);
  });

  it('reports the version of a stream, and 0 for one that does not exist', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, events: [anEvent(), anEvent(), anEvent()] }));

    expect(await store.streamVersion(streamId)).toBe(3);
    expect(await store.streamVersion(newPatientStream())).toBe(0);
  });

  it('reads only the events after a given stream version, for a reader that has the ones before', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, events: [anEvent(), anEvent(), anEvent()] }));

    expect((await store.readStream(streamId, { afterVersion: 1 })).map((e) => e.streamVersion)).toEqual([2, 3]);
    expect(await store.readStream(streamId, { afterVersion: 3 })).toEqual([]);
    expect(await store.readStream(streamId, { afterVersion: 0 })).toEqual(await store.readStream(streamId));
  });

  describe('as of a point in the past, for audit', () => {
    let now = new Date('2025-04-01T08:00:00.000Z');
    const clock = () => now;
    const streamId = newPatientStream();
    let secondPosition = '';

    beforeAll(async () => {
      const store = harness.store({ clock });
      for (let visit = 1; visit <= 3; visit++) {
        now = new Date(`2025-04-0${visit}T08:00:00.000Z`);
        const outcome = await store.append(anAppend({ streamId, expectedVersion: visit - 1, events: [anEvent({ data: { visit } })] }));
        if (visit === 2 && outcome.status === 'appended') secondPosition = outcome.events[0].globalPosition;
      }
    });

    it('reads a stream as it stood at a recorded-at instant', async () => {
      const events = await harness.store().readStream(streamId, { untilRecordedAt: new Date('2025-04-02T12:00:00Z') });
      expect(events.map((event) => event.data)).toEqual([{ visit: 1 }, { visit: 2 }]);
    });

    it('reads a stream as it stood at a global position', async () => {
      const events = await harness.store().readStream(streamId, { untilGlobalPosition: secondPosition });
      expect(events.map((event) => event.data)).toEqual([{ visit: 1 }, { visit: 2 }]);
    });

    it('reads the log up to a recorded-at instant', async () => {
      const { events } = await readAllUntil(harness.store(), START_CHECKPOINT, 1, {
        untilRecordedAt: new Date('2025-04-01T23:59:59Z'),
      });
      expect(events.map((event) => event.data)).toEqual([{ visit: 1 }]);
    });
  });
});
