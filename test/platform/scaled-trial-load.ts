import type { PostgresEventStore } from '@trialstream/event-store';
import {
  enrolment,
  infusion,
  labResult,
  patientStream,
  randomization,
  siteActivation,
} from '@trialstream/projections/testing/patient-stories';
import { aCoordinator } from '@trialstream/domain/testing';

const SITE = 'S01';

export interface TrialLoad {
  patients: number;
  labsPerRound: number;
}

/** The one site every patient of the load belongs to. */
export async function monitoredSite(store: PostgresEventStore): Promise<void> {
  const outcome = await store.append({
    streamId: `site-${SITE}`,
    expectedVersion: 0,
    events: [siteActivation(SITE)],
    siteId: SITE,
    actor: aCoordinator,
  });
  if (outcome.status !== 'appended') throw new Error(`site activation: ${outcome.status}`);
}

/**
 * One round of a site's work on every patient at once: enrolment, randomization and a first infusion in round 0,
 * then lab results; each patient's events in one append, as a submission makes them.
 */
export async function appendPatientRound(store: PostgresEventStore, load: TrialLoad, round: number): Promise<void> {
  await Promise.all(
    Array.from({ length: load.patients }, async (_, n) => {
      const screening = String(n).padStart(4, '0');
      const streamId = patientStream(SITE, screening);
      const labs = Array.from({ length: load.labsPerRound }, (_, lab) => labResult(10 + round + lab / 100));
      const events = round === 0 ? [enrolment(SITE, screening), randomization(`K-${screening}`), infusion(1), ...labs] : labs;
      const outcome = await store.append({
        streamId,
        expectedVersion: await store.streamVersion(streamId),
        events,
        siteId: SITE,
        actor: aCoordinator,
      });
      if (outcome.status !== 'appended') throw new Error(`append to ${streamId}: ${outcome.status}`);
    }),
  );
}
