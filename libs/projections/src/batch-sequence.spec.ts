import { sequenceBatch } from './batch-sequence';
import { infusion } from './testing/patient-stories';
import { envelopesOf } from '@trialstream/domain/testing';

const streamOf = (streamId: string, count: number) =>
  envelopesOf(
    streamId,
    'ZH01',
    Array.from({ length: count }, (_, i) => infusion(i + 1)),
  );
const versions = (events: { streamId: string; streamVersion: number }[]) => events.map((e) => `${e.streamId}@${e.streamVersion}`);

describe('sequencing a delivered batch', () => {
  it('applies each stream in version order, streams in the order the batch first mentions them', () => {
    const a = streamOf('patient-a', 3);
    const b = streamOf('patient-b', 2);
    const sequence = sequenceBatch([b[1], a[2], a[0], b[0], a[1]], new Map());
    expect(versions(sequence.events)).toEqual(['patient-b@1', 'patient-b@2', 'patient-a@1', 'patient-a@2', 'patient-a@3']);
    expect(sequence).toMatchObject({ skipped: 0, filled: 0, missing: new Map() });
  });

  it('skips versions already applied and duplicates within the batch', () => {
    const a = streamOf('patient-a', 3);
    const sequence = sequenceBatch([a[0], a[1], a[1], a[2]], new Map([['patient-a', 2]]));
    expect(versions(sequence.events)).toEqual(['patient-a@3']);
    expect(sequence.skipped).toBe(3);
  });

  it('reports the versions a stream lacks before its delivered events and holds the stream back', () => {
    const a = streamOf('patient-a', 4);
    const b = streamOf('patient-b', 1);
    const sequence = sequenceBatch([a[3], b[0]], new Map([['patient-a', 1]]));
    expect(sequence.missing).toEqual(new Map([['patient-a', [2, 3]]]));
    expect(versions(sequence.events)).toEqual(['patient-b@1']);
  });

  it('fills a gap from the events read from the store', () => {
    const a = streamOf('patient-a', 4);
    const fillers = new Map([
      [
        'patient-a',
        new Map([
          [2, a[1]],
          [3, a[2]],
        ]),
      ],
    ]);
    const sequence = sequenceBatch([a[3]], new Map([['patient-a', 1]]), fillers);
    expect(versions(sequence.events)).toEqual(['patient-a@2', 'patient-a@3', 'patient-a@4']);
    expect(sequence.filled).toBe(2);
  });

  it('refuses an event without a valid stream version', () => {
    const [event] = streamOf('patient-a', 1);
    expect(() => sequenceBatch([{ ...event, streamVersion: 0 }], new Map())).toThrow('no valid stream version');
  });
});
