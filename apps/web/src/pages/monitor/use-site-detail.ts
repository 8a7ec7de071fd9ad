import { get } from '../../api/client';
import { signedCasebooks } from '../../app/signatures';
import { allSitePatients } from '../../app/site-patients';
import type { Page, QueryView, SiteIndicators } from '../../app/types';
import { useApi } from '../../app/use-api';

export interface DeviationRow {
  patientId: string;
  code: string;
  detail?: string;
  occurredAt?: string;
  [key: string]: unknown;
}

/** Everything the site page shows, as of a date: indicators, patients, deviations, queries and signed casebooks. */
export function useSiteDetail(siteId: string, asOf: string) {
  const site = encodeURIComponent(siteId);
  return useApi(
    async () => {
      const [indicators, patients, deviations, queries, signed] = await Promise.all([
        get<SiteIndicators>(`/monitoring/sites/${site}`, { asOf }),
        allSitePatients(siteId, asOf),
        get<Page<DeviationRow>>(`/monitoring/sites/${site}/deviations`, { asOf, limit: 500 }),
        get<Page<QueryView>>(`/monitoring/sites/${site}/queries`, { asOf, limit: 500 }),
        signedCasebooks(siteId, asOf),
      ]);
      return { indicators, patients, deviations: deviations.items, queries: queries.items, signed };
    },
    [siteId, asOf],
    { live: true },
  );
}
