import { ProjectionRunner, defineProjection, type Row } from '@trialstream/projections';
import { randomUUID } from 'node:crypto';
import type { EventDraft, EventEnvelope } from '@trialstream/domain';
import { aCoordinator } from '@trialstream/domain/testing';
import { openProjectionHarness, tableRows, type ProjectionHarness } from './projection-harness';

/** A projection that exercises every RowAccess operation and column type, driven by test events. */
const NOTES = defineProjection({
  name: 'notes',
  version: 1,
  tables: [
    {
      name: 'notes',
      columns: {
        stream_id: 'text',
        n: 'integer',
        body: 'text',
        written_at: 'timestamptz',
        written_on: { type: 'date', nullable: true },
        urgent: 'boolean',
        score: 'double',
        views: 'bigint',
        details: { type: 'jsonb', nullable: true },
      },
      primaryKey: ['stream_id', 'n'],
    },
    { name: 'observations', columns: { event_id: 'text', seen: { type: 'jsonb', nullable: true } }, primaryKey: ['event_id'] },
  ],
  handlers: {
    NoteWritten: (event, rows) => rows.put('notes', { stream_id: event.streamId, ...(event.data as Row) }),
    NoteEdited: async (event, rows) => {
      const { n, body } = event.data as { n: number; body: string };
      await rows.patch('notes', { stream_id: event.streamId, n }, { body });
    },
    NoteErased: (event, rows) => rows.delete('notes', { stream_id: event.streamId, n: (event.data as { n: number }).n }),
    NoteRead: async (event, rows) => {
      const seen = await rows.get('notes', { stream_id: event.streamId, n: (event.data as { n: number }).n });
      rows.put('observations', { event_id: event.eventId, seen: seen ?? null });
    },
    NotesListed: async (event, rows) => {
      const notes = await rows.list('notes', event.streamId);
      const seen = notes.map((note) => [note.n, note.body]).sort(([a], [b]) => Number(a) - Number(b));
      rows.put('observations', { event_id: event.eventId, seen });
    },
  },
  prefetch: (event) => ((event.data as { prefetched?: boolean }).prefetched ? [{ table: 'notes', partition: event.streamId }] : []),
});

const written = (n: number) => ({
  type: 'NoteWritten',
  data: {
    n,
    body: `note ${n}`,
    written_at: '2024-03-01T10:15:00+01:00',
    written_on: '2024-03-01',
    urgent: true,
    score: 0.25,
    views: '12',
    details: { tags: ['a', 'b'], nested: { x: 1 } },
  },
});
const canonical = (streamId: string, n: number) => ({
  stream_id: streamId,
  n,
  body: `note ${n}`,
  written_at: '2024-03-01T09:15:00.000Z',
  written_on: '2024-03-01',
  urgent: true,
  score: 0.25,
  views: 12,
  details: { tags: ['a', 'b'], nested: { x: 1 } },
});

describe('row access of projection handlers on PostgreSQL', () => {
  let harness: ProjectionHarness;
  let runner: ProjectionRunner;
  let streamId: string;
  let version: number;

  beforeAll(async () => {
    harness = await openProjectionHarness([NOTES]);
    runner = new ProjectionRunner(NOTES, harness.dataSource, harness.store, { logger: { warn: () => undefined, error: () => undefined } });
  });
  afterAll(() => harness?.close());
  beforeEach(() => {
    streamId = `notes-${randomUUID()}`;
    version = 0;
  });

  /** Stored events of the given kinds on this test's stream (gap filling needs them in the store). */
  async function events(...kinds: Array<{ type: string; data: unknown }>): Promise<EventEnvelope[]> {
    const drafts: EventDraft[] = kinds.map((kind) => ({ ...kind, schemaVersion: 1, occurredAt: '2024-03-01' }));
    const outcome = await harness.store.append({ streamId, expectedVersion: version, events: drafts, siteId: 'S1', actor: aCoordinator });
    if (outcome.status !== 'appended') throw new Error(outcome.status);
    version = outcome.streamVersion;
    return outcome.events;
  }

  const observation = async (event: EventEnvelope) =>
    (await tableRows(harness.dataSource, 'notes', 'observations')).find((row) => row.event_id === event.eventId)?.seen;

  it('shows a handler the same values whether the row was written in this batch or read back from the database', async () => {
    const [write, readInBatch] = await events(written(1), { type: 'NoteRead', data: { n: 1 } });
    await runner.applyBatch([write, readInBatch]);
    const [readLater] = await events({ type: 'NoteRead', data: { n: 1 } });
    await runner.applyBatch([readLater]);

    expect(await observation(readInBatch)).toEqual(canonical(streamId, 1));
    expect(await observation(readLater)).toEqual(canonical(streamId, 1));
  });

  it('patches and deletes rows, and a row deleted in the batch that wrote it is never stored', async () => {
    const batch = await events(
      written(1),
      written(2),
      written(3),
      { type: 'NoteEdited', data: { n: 1, body: 'edited' } },
      { type: 'NoteErased', data: { n: 3 } },
    );
    await runner.applyBatch(batch);
    const [erase] = await events({ type: 'NoteErased', data: { n: 2 } });
    await runner.applyBatch([erase]);

    const notes = (await tableRows(harness.dataSource, 'notes', 'notes')).filter((row) => row.stream_id === streamId);
    expect(notes.map((row) => [row.n, row.body])).toEqual([[1, 'edited']]);
  });

  it('dead-letters an edit of a note that does not exist and applies the rest of the batch', async () => {
    const [edit, write] = await events({ type: 'NoteEdited', data: { n: 9, body: 'x' } }, written(4));

    expect(await runner.applyBatch([edit, write])).toMatchObject({ applied: 1, deadLettered: 1 });

    const deadLetters = (await runner.deadLetters()).filter((letter) => letter.streamId === streamId);
    expect(deadLetters.map((letter) => [letter.eventId, letter.type])).toEqual([[edit.eventId, 'NoteEdited']]);
    expect(deadLetters[0].error).toContain('has no row');
    expect((await tableRows(harness.dataSource, 'notes', 'notes')).filter((row) => row.stream_id === streamId)).toHaveLength(1);
  });

  it.each([false, true])(
    'lists a partition’s rows with the batch’s own writes and deletes, read whole or prefetched (%s)',
    async (prefetched) => {
      await runner.applyBatch(await events(written(1), written(2), written(3)));
      const batch = await events(
        { type: 'NotesListed', data: { prefetched } },
        { type: 'NoteEdited', data: { n: 1, body: 'edited' } },
        { type: 'NoteErased', data: { n: 2 } },
        written(4),
        { type: 'NotesListed', data: { prefetched } },
      );
      await runner.applyBatch(batch);
      const [later] = await events({ type: 'NotesListed', data: { prefetched } });
      await runner.applyBatch([later]);

      expect(await observation(batch[0])).toEqual([
        [1, 'note 1'],
        [2, 'note 2'],
        [3, 'note 3'],
      ]);
      const after = [
        [1, 'edited'],
        [3, 'note 3'],
        [4, 'note 4'],
      ];
      expect(await observation(batch[4])).toEqual(after);
      expect(await observation(later)).toEqual(after);
    },
  );
});
