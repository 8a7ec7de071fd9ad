/**
 * Small builders of realistic event histories for projection tests: drafts as the decide functions
 * would produce them, and envelopes as the store would return them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Actor, EventDraft, EventEnvelope } from '@trialstream/domain';
import { draftEvent, patientIdFor, patientStreamId, siteStreamId } from '@trialstream/domain';

export const aCoordinator: Actor = { userId: 'coordinator-1', role: 'site_coordinator' };

export const enrolment = (siteId: string, screeningNumber: string, occurredAt = '2024-01-15'): EventDraft =>
  draftEvent('PatientEnrolled', occurredAt, {
    patientId: patientIdFor(siteId, screeningNumber),
    siteId,
    screeningNumber,
    consentDate: '2024-01-10',
    eligibility: { met: true, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: true }] },
    heightCm: 172,
    weightKg: 78,
    sex: 'female',
    birthYear: 1955,
  });

export const screenFailure = (siteId: string, screeningNumber: string): EventDraft =>
  draftEvent('PatientScreenFailed', '2024-01-15', {
    patientId: patientIdFor(siteId, screeningNumber),
    siteId,
    screeningNumber,
    consentDate: '2024-01-10',
    failedCriteria: ['ANTI_MAG_ABOVE_1000_BTU'],
    sex: 'male',
    birthYear: 1950,
  });

export const randomization = (kitNumber = 'K-0001'): EventDraft =>
  draftEvent('PatientRandomized', '2024-01-20', { kitNumber, stratum: 'default' });

export const infusion = (infusionInCycle = 1, occurredAt = '2024-02-01'): EventDraft =>
  draftEvent('InfusionGiven', occurredAt, {
    cycle: 1,
    infusionInCycle,
    doseLevelMgPerM2: 375,
    heightCm: 172,
    weightKg: 78,
    bsaM2: 1.93,
    plannedDoseMg: 723.75,
    administeredDoseMg: 720,
    deviations: [],
  });

export const labResult = (value = 12.5): EventDraft =>
  draftEvent('LabResulted', '2024-02-01', { analyte: 'IGM', value, unit: 'g/L', qualifier: '=' });

export const withdrawal = (reason = 'moved abroad'): EventDraft => draftEvent('PatientWithdrawn', '2024-05-01', { reason });

export const siteActivation = (siteId: string, name = `Site ${siteId}`): EventDraft =>
  draftEvent('SiteActivated', '2024-01-01', { siteId, name, country: 'CH' });

export const patientStream = (siteId: string, screeningNumber: string): string => patientStreamId(patientIdFor(siteId, screeningNumber));

export { siteStreamId };

let position = 0;

/**
 * Envelopes for one stream's drafts, numbered from `firstVersion`, as the store would return them
 * (positions increase across calls; recorded-at follows the position so it is deterministic).
 */
export function envelopesOf(streamId: string, siteId: string | null, drafts: EventDraft[], firstVersion = 1): EventEnvelope[] {
  return drafts.map((draft, index) => {
    position += 1;
    const eventId = randomUUID();
    return {
      eventId,
      type: draft.type,
      schemaVersion: draft.schemaVersion,
      streamId,
      streamVersion: firstVersion + index,
      globalPosition: String(position),
      transactionId: String(1000 + position),
      siteId,
      actor: aCoordinator,
      occurredAt: draft.occurredAt,
      recordedAt: new Date(Date.UTC(2024, 0, 1) + position * 60_000).toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      submissionId: null,
      amends: draft.amends ?? null,
      data: draft.data,
      previousHash: '0'.repeat(64),
      hash: createHash('sha256').update(eventId).digest('hex'),
    };
  });
}

/** A random interleaving of several streams' events that keeps no order at all, within streams either. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A small deterministic generator so a failing shuffle can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** A random interleaving of several streams that keeps each stream's own order (as Kafka partitions do). */
export function interleaved<T>(streams: ReadonlyArray<readonly T[]>, random: () => number = Math.random): T[] {
  const cursors = streams.map(() => 0);
  const result: T[] = [];
  for (;;) {
    const open = streams.map((stream, index) => index).filter((index) => cursors[index] < streams[index].length);
    if (open.length === 0) return result;
    const pick = open[Math.floor(random() * open.length)];
    result.push(streams[pick][cursors[pick]++]);
  }
}
