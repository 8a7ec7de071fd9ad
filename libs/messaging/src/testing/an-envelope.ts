import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@trialstream/domain';

let position = 0;

/** A committed event as the store would hand it out; each call takes the next global position. */
export function anEnvelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  position += 1;
  return {
    eventId: randomUUID(),
    type: 'LabResulted',
    schemaVersion: 1,
    streamId: 'patient-ZH01-007',
    streamVersion: 1,
    globalPosition: String(position),
    transactionId: String(1000 + position),
    siteId: 'ZH01',
    actor: { userId: 'coordinator-zh01', role: 'site_coordinator' },
    occurredAt: '2024-02-01',
    recordedAt: '2024-02-01T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    submissionId: 'submission-1',
    amends: null,
    data: { analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' },
    previousHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    ...overrides,
  };
}
