/**
 * Small builders of realistic event histories for projection tests: drafts as the decide functions
 * would produce them (payloads from the domain's builders). Envelopes come from `envelopesOf` in
 * `@trialstream/domain/testing`.
 */
import type { EventDraft, RandomSource } from '@trialstream/domain';
import { draftEvent, patientIdFor, patientStreamId } from '@trialstream/domain';
import { aLabResult, anEnrolment, anInfusion, aScreenFailure } from '@trialstream/domain/testing';

export const enrolment = (siteId: string, screeningNumber: string, occurredAt = '2024-01-15'): EventDraft =>
  draftEvent('PatientEnrolled', occurredAt, anEnrolment({ patientId: patientIdFor(siteId, screeningNumber), siteId, screeningNumber }));

export const screenFailure = (siteId: string, screeningNumber: string): EventDraft =>
  draftEvent(
    'PatientScreenFailed',
    '2024-01-15',
    aScreenFailure({ patientId: patientIdFor(siteId, screeningNumber), siteId, screeningNumber }),
  );

export const randomization = (kitNumber = 'K-0001'): EventDraft =>
  draftEvent('PatientRandomized', '2024-01-20', { kitNumber, stratum: 'default' });

export const infusion = (infusionInCycle = 1, occurredAt = '2024-02-01'): EventDraft =>
  draftEvent('InfusionGiven', occurredAt, anInfusion({ infusionInCycle }));

export const labResult = (value = 12.5): EventDraft => draftEvent('LabResulted', '2024-02-01', aLabResult({ value }));

export const withdrawal = (reason = 'moved abroad'): EventDraft => draftEvent('PatientWithdrawn', '2024-05-01', { reason });

export const siteActivation = (siteId: string, name = `Site ${siteId}`): EventDraft =>
  draftEvent('SiteActivated', '2024-01-01', { siteId, name, country: 'CH' });

export const patientStream = (siteId: string, screeningNumber: string): string => patientStreamId(patientIdFor(siteId, screeningNumber));

// The domain's seeded generator, re-exported only for the monitoring projection's spec: import it from
// `@trialstream/domain`, with `shuffled`.

/** A random interleaving of several streams that keeps each stream's own order (as Kafka partitions do). */
export function interleaved<T>(streams: ReadonlyArray<readonly T[]>, random: RandomSource = Math.random): T[] {
  const cursors = streams.map(() => 0);
  const result: T[] = [];
  for (;;) {
    const open = streams.map((stream, index) => index).filter((index) => cursors[index] < streams[index].length);
    if (open.length === 0) return result;
    const pick = open[Math.floor(random() * open.length)];
    result.push(streams[pick][cursors[pick]++]);
  }
}
