import { get, getIfAvailable } from '../../api/client';
import { useApi } from '../../app/use-api';
import type { ByArm, EndpointSummary, PatientEndpoints, TrialView } from './analysis-types';

export interface ProtocolVisit {
  name: string;
  label: string;
}

/** The protocol's named visits (a server without the route offers each patient's latest only). */
export function useProtocolVisits(): ProtocolVisit[] {
  const protocol = useApi(() => getIfAvailable<{ visits: ProtocolVisit[] }>('/analysis/protocol'), []);
  return protocol.data?.visits ?? [];
}

/**
 * Pooled endpoints and each patient's, at the visit chosen; per arm only once the trial is unblinded and
 * for a role that may see arms (a blinded statistician's page never asks).
 */
export function useEndpoints(visit: string, role: string) {
  return useApi(
    async () => {
      const [endpoints, patients] = await Promise.all([
        get<{ trial: TrialView; pooled: EndpointSummary }>('/analysis/endpoints', { visit }),
        get<{ patients: PatientEndpoints[] }>('/analysis/patients', { visit }),
      ]);
      const mayReadArms = role !== 'blinded_statistician' && endpoints.trial.unblindedAt !== null;
      const byArm = mayReadArms ? await get<ByArm>('/analysis/endpoints/by-arm', { visit }) : null;
      return { ...endpoints, patients: patients.patients, byArm };
    },
    [visit, role],
    { live: true },
  );
}
