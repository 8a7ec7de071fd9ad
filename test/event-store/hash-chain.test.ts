import { GENESIS_HASH, chainedFields, computeEventHash, type AppendOutcome } from '@trialstream/event-store';
import { randomUUID } from 'node:crypto';
import {
  aSubmission,
  anAppend,
  anEvent,
  coordinator,
  newPatientStream,
  openEventStoreHarness,
  type EventStoreHarness,
} from './event-store-harness';

describe('the SHA-256 hash chain of each stream', () => {
  let harness: EventStoreHarness;
  beforeAll(async () => {
    harness = await openEventStoreHarness();
  });
  afterAll(() => harness?.close());

  const appended = (outcome: AppendOutcome) => {
    if (outcome.status !== 'appended') throw new Error(`expected an append, got ${outcome.status}`);
    return outcome.events;
  };

  it('verifies an empty store', async () => {
    expect(await harness.store().verifyIntegrity()).toEqual({ ok: true, streamsChecked: 0, eventsChecked: 0, brokenLinks: [] });
  });

  it('chains every event to its predecessor, from the genesis hash, across appends', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    await store.append(anAppend({ streamId, events: [anEvent(), anEvent()] }));
    await store.append(anAppend({ streamId, expectedVersion: 2, events: [anEvent({ data: { systolicMmHg: 141 } })] }));

    const events = await store.readStream(streamId);

    expect(events[0].previousHash).toBe(GENESIS_HASH);
    events.slice(1).forEach((event, i) => expect(event.previousHash).toBe(events[i].hash));
    const salts = await store.chainSalts(events.map((event) => event.eventId));
    for (const event of events) expect(computeEventHash(chainedFields(event), salts.get(event.eventId))).toBe(event.hash);
  });

  it('returns from append exactly the envelopes a later read gives back', async () => {
    const store = harness.store();
    const streamId = newPatientStream();
    const written = appended(
      await store.append(
        anAppend({
          streamId,
          events: [anEvent({ data: { nested: { b: 2, a: [1, 2.5, null] }, when: '2025-03-04' } })],
          submission: aSubmission(),
        }),
      ),
    );

    expect(await store.readStream(streamId)).toEqual(written);
  });

  it('records attribution, server time and one correlation id per append', async () => {
    const recordedAt = new Date('2025-06-01T12:00:00.123Z');
    const store = harness.store({ clock: () => recordedAt });
    const corrected = randomUUID();
    const causationId = randomUUID();
    const submission = aSubmission();

    const events = appended(
      await store.append(
        anAppend({
          siteId: 'site-202',
          causationId,
          submission,
          events: [anEvent(), anEvent({ occurredAt: '2025-05-30', amends: { eventId: corrected, reason: 'transcription error' } })],
        }),
      ),
    );

    expect(events[0].correlationId).toBe(events[1].correlationId);
    expect(events[0].eventId).not.toBe(events[1].eventId);
    expect(events[1]).toMatchObject({
      siteId: 'site-202',
      actor: coordinator,
      occurredAt: '2025-05-30',
      recordedAt: '2025-06-01T12:00:00.123Z',
      causationId,
      submissionId: submission.id,
      amends: { eventId: corrected, reason: 'transcription error' },
    });
    expect((await store.verifyIntegrity()).ok).toBe(true);
  });

  it('verifies a store written by many concurrent appends', async () => {
    const store = harness.store();
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(anAppend({ events: [anEvent({ data: { i } }), anEvent()] }))));

    const report = await store.verifyIntegrity();

    expect(report.ok).toBe(true);
    expect(report.eventsChecked).toBeGreaterThanOrEqual(80);
  });
});
