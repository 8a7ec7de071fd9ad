import type { Query } from '../api/client';
import { allPages } from './paged';
import type { PatientListItem } from './types';

/** Every patient of a site as of a date. */
export function allSitePatients(siteId: string, asOf?: string, query: Query = {}): Promise<PatientListItem[]> {
  return allPages<PatientListItem>(`/monitoring/sites/${encodeURIComponent(siteId)}/patients`, { ...query, asOf });
}
