import type { PostgresEventStore } from '@trialstream/event-store';
import type { EventDraft, EventEnvelope } from '@trialstream/domain';
import {
  enrolment,
  infusion,
  labResult,
  patientStream,
  randomization,
  screenFailure,
  siteActivation,
  withdrawal,
} from '@trialstream/projections/testing/patient-stories';
import { siteStreamId } from '@trialstream/domain';
import { append } from './projection-harness';

let trials = 0;

export interface RecordedTrial {
  sites: string[];
  /** patient id -> stream id */
  patients: Map<string, string>;
  events: EventEnvelope[];
}

/**
 * A small multi-center trial in the store: two activated sites (unique per call), patients in every
 * status, several events each, appended in a few separate commits per patient.
 */
export async function recordTrial(store: PostgresEventStore, patientsPerSite = 4): Promise<RecordedTrial> {
  const tag = String(++trials).padStart(2, '0');
  const sites = [`A${tag}`, `B${tag}`];
  const patients = new Map<string, string>();
  const events: EventEnvelope[] = [];
  for (const site of sites) events.push(...(await append(store, siteStreamId(site), site, [siteActivation(site)])));
  for (const site of sites) {
    for (let n = 1; n <= patientsPerSite; n++) {
      const number = String(n).padStart(3, '0');
      const stream = patientStream(site, number);
      patients.set(`${site}-${number}`, stream);
      const history: EventDraft[][] =
        n % 4 === 0
          ? [[screenFailure(site, number)]]
          : [
              [enrolment(site, number)],
              ...(n % 4 === 1 ? [] : [[randomization(`K-${site}-${number}`)], [infusion(1), labResult()], [infusion(2)]]),
              ...(n % 4 === 3 ? [[withdrawal()]] : []),
            ];
      for (const drafts of history) events.push(...(await append(store, stream, site, drafts)));
    }
  }
  return { sites, patients, events };
}
