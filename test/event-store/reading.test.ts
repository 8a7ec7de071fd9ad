import type { Upcaster } from '@trialstream/event-store';
import { START_CHECKPOINT } from '@trialstream/domain';
import { eventually } from '../support/eventually';
import {
  aSubmission,
  anAppend,
  anEvent,
  newPatientStream,
  openEventStoreHarness,
  readAllUntil,
  type EventStoreHarness,
} from './event-store-harness';

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

  it('reads the log as the JSON of each envelope exactly as stored, for a reader that passes events on', async () => {
    const streamId = `${newPatientStream()}-"quoted"\\-é`;
    const first = await harness.store().append(
      anAppend({
        streamId,
        siteId: null,
        actor: { userId: 'coordinator "A"\n', role: 'site_coordinator' },
        submission: aSubmission(),
        events: [
          anEvent({ type: 'WeightRecorded', schemaVersion: 1, data: { weightLb: 160 } }),
          anEvent({ data: { nested: [1, 2.5, -0.000001, 12345678901234, null, true, { text: 'ünï "cödé" \\ \u0001 \t' }], empty: {} } }),
        ],
      }),
    );
    if (first.status !== 'appended') throw new Error(`append: ${first.status}`);
    const correction = anEvent({
      type: 'EntryCorrected',
      amends: { eventId: first.events[1].eventId, reason: 'typo: "128" was 182' },
    });
    const last = await harness
      .store()
      .append(anAppend({ streamId, expectedVersion: 2, events: [correction], causationId: first.events[1].eventId }));
    if (last.status !== 'appended') throw new Error(`append: ${last.status}`);
    // With an upcaster, so that the JSON is seen to ignore it: it is the stored event.
    const store = harness.store({ upcast: weightInKilograms });
    const { events: log, checkpoint: end } = await eventually(async () => {
      const page = await harness.store().readAll(START_CHECKPOINT, 1000);
      if (!page.events.some((event) => event.eventId === last.events[0].eventId)) throw new Error('the correction is not readable yet');
      return page;
    }, 15_000);
    const stored = log.filter((event) => event.streamId === streamId);
    expect(stored).toHaveLength(3);

    const json = [];
    for (let after = START_CHECKPOINT; after !== end;) {
      const page = await store.readAllJson(after, 2, { untilGlobalPosition: end.globalPosition });
      json.push(...page.events.filter((event) => event.streamId === streamId));
      after = page.events.length > 0 ? page.checkpoint : end;
    }

    expect(json.map((event) => JSON.parse(event.json))).toEqual(stored);
    expect(json.map(({ json: _json, ...fields }) => fields)).toEqual(
      stored.map(({ eventId, type, schemaVersion, streamId, globalPosition, transactionId }) => ({
        eventId,
        type,
        schemaVersion,
        streamId,
        globalPosition,
        transactionId,
      })),
    );
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
