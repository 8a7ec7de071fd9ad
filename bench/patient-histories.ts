import { createHash, randomUUID } from 'node:crypto';
import type { Actor, EventDraft, EventEnvelope } from '@trialstream/domain';
import type { AppendRequest } from '@trialstream/event-store';
import { enrolment, infusion, labResult, patientStream, randomization } from '@trialstream/projections/testing/patient-stories';

/**
 * The simulated load: patients whose histories look like the trial's (enrolment, randomization, then lab
 * results and infusions), so every phase, the registry projection included, handles real event shapes.
 */
export interface BenchPatient {
  siteId: string;
  screeningNumber: string;
  streamId: string;
}

const SITES = 8;

/** Patient `index` of writer `writer` in the measurement named `run`; unique across runs and writers. */
export function benchPatient(run: string, writer: number, index: number): BenchPatient {
  const siteId = `B${String((writer % SITES) + 1).padStart(2, '0')}`;
  const screeningNumber = `${run}${writer}-${String(index).padStart(5, '0')}`;
  return { siteId, screeningNumber, streamId: patientStream(siteId, screeningNumber) };
}

/** The event at `version` (from 1) of a patient's history. */
export function historyEvent(patient: BenchPatient, version: number): EventDraft {
  if (version === 1) return enrolment(patient.siteId, patient.screeningNumber);
  if (version === 2) return randomization();
  return version % 2 === 0 ? infusion(Math.min(4, version / 2)) : labResult(10 + (version % 7) / 2);
}

export function history(patient: BenchPatient, fromVersion: number, count: number): EventDraft[] {
  return Array.from({ length: count }, (_, offset) => historyEvent(patient, fromVersion + offset));
}

export const coordinatorOf = (writer: number): Actor => ({ userId: `bench-coordinator-${writer}`, role: 'site_coordinator' });

/** An append as the ingest side makes it: expected version, attribution and a submission id to answer retries. */
export function appendRequest(patient: BenchPatient, expectedVersion: number, events: EventDraft[], actor: Actor): AppendRequest {
  const submissionId = randomUUID();
  return {
    streamId: patient.streamId,
    expectedVersion,
    events,
    siteId: patient.siteId,
    actor,
    submission: {
      scope: `user:${actor.userId}`,
      id: submissionId,
      requestHash: createHash('sha256').update(`${patient.streamId}/${submissionId}`).digest('hex'),
      response: (stored: EventEnvelope[]) => ({ streamId: patient.streamId, eventIds: stored.map((event) => event.eventId) }),
    },
  };
}

/** Splits `total` events over `writers` as evenly as possible. */
export function shareOf(total: number, writers: number, writer: number): number {
  return Math.floor(total / writers) + (writer < total % writers ? 1 : 0);
}

/** One writer's single-event appends, in order: each patient's history up to `eventsPerPatient`, then the next patient. */
export function* singleEventPlan(
  run: string,
  writer: number,
  events: number,
  eventsPerPatient: number,
): Generator<{ patient: BenchPatient; version: number }> {
  for (let done = 0; done < events; done++) {
    yield { patient: benchPatient(run, writer, Math.floor(done / eventsPerPatient)), version: (done % eventsPerPatient) + 1 };
  }
}

/** A whole patient history, or the shorter remainder at the end. */
export interface HistorySlice {
  patient: BenchPatient;
  events: EventDraft[];
}

/**
 * Transactions of whole patient histories, as many as fit in `batchSize` events (at least one each), for the
 * batched append and its raw multi-row ceiling, which therefore commit exactly the same batches.
 */
export function batchedPlan(run: string, events: number, batchSize: number, eventsPerPatient: number): HistorySlice[][] {
  const batches: HistorySlice[][] = [];
  let current: HistorySlice[] = [];
  let inCurrent = 0;
  for (let done = 0, index = 0; done < events; index++) {
    const length = Math.min(eventsPerPatient, events - done);
    if (inCurrent > 0 && inCurrent + length > batchSize) {
      batches.push(current);
      current = [];
      inCurrent = 0;
    }
    const patient = benchPatient(run, 0, index);
    current.push({ patient, events: history(patient, 1, length) });
    inCurrent += length;
    done += length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
