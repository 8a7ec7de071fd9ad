import type { IntegrityReport } from '@trialstream/event-store';
import { describeVerification, type PlatformVerification, type ReadModelCheck } from './verify-platform';

const intactLog: IntegrityReport = { ok: true, streamsChecked: 4, eventsChecked: 20, brokenLinks: [] };
const identical: ReadModelCheck = {
  projection: 'registry',
  schema: 'registry',
  identical: true,
  events: 20,
  tables: [{ table: 'patients', liveRows: 3, rebuiltRows: 3, differences: [], truncated: false }],
  deadLetters: 0,
  error: null,
};

describe('the verification report as a person reads it', () => {
  it('says what holds when everything does', () => {
    const lines = describeVerification({ ok: true, log: intactLog, readModels: [identical] });
    expect(lines).toEqual([
      'event log: intact (4 streams, 20 events: hash chains, versions and positions hold)',
      'read model registry: identical to a rebuild from 20 events (patients 3 rows)',
      'verification passed',
    ]);
  });

  it('names the stream, version, event and position of each first broken link, and why it is broken', () => {
    const report: PlatformVerification = {
      ok: false,
      log: {
        ok: false,
        streamsChecked: 4,
        eventsChecked: 20,
        brokenLinks: [
          { streamId: 'patient-S01-0001', streamVersion: 4, eventId: 'e-4', globalPosition: '11', problem: 'hash-mismatch' },
          { streamId: 'patient-S02-0001', streamVersion: 3, eventId: null, globalPosition: null, problem: 'head-mismatch' },
        ],
      },
      readModels: [identical],
    };
    const lines = describeVerification(report);
    expect(lines[0]).toBe('event log: 2 stream(s) broken (4 streams, 20 events checked)');
    expect(lines[1]).toBe(
      "  patient-S01-0001 version 4 (event e-4 at global position 11): hash-mismatch: the event's content no longer matches its hash",
    );
    expect(lines[2]).toMatch(/^ {2}patient-S02-0001 version 3 \(no event there\): head-mismatch/);
    expect(lines.at(-1)).toBe('verification FAILED');
  });

  it('lists the rows in which a read model differs, and a read model that could not be compared', () => {
    const differs: ReadModelCheck = {
      ...identical,
      identical: false,
      deadLetters: 1,
      tables: [
        {
          table: 'patients',
          liveRows: 3,
          rebuiltRows: 3,
          differences: [{ key: { patient_id: 'S01-0001' }, kind: 'changed' }],
          truncated: false,
        },
      ],
    };
    const broken: ReadModelCheck = { ...identical, projection: 'monitoring', identical: false, tables: [], error: 'no live schema' };
    const lines = describeVerification({ ok: false, log: intactLog, readModels: [differs, broken] });
    expect(lines).toEqual([
      expect.stringMatching(/^event log: intact/),
      'read model registry: DIFFERS from a rebuild from 20 events; 1 event(s) in its dead-letter table',
      '  patients: 3 live rows, 3 rebuilt rows',
      '    changed {"patient_id":"S01-0001"}',
      'read model monitoring: could not be verified: no live schema',
      'verification FAILED',
    ]);
  });
});
