import { get, Query } from '../api/client';
import type { Page, PatientListItem } from './types';

const PAGE = 500;

/** Every patient of a site as of a date, read page by page (the API's largest page is 500). */
export async function allSitePatients(siteId: string, asOf?: string, query: Query = {}): Promise<PatientListItem[]> {
  const patients: PatientListItem[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await get<Page<PatientListItem>>(`/monitoring/sites/${encodeURIComponent(siteId)}/patients`, { ...query, asOf, limit: PAGE, offset });
    patients.push(...page.items);
    if (page.items.length < PAGE || patients.length >= page.total) return patients;
  }
}
