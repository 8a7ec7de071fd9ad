import type { DataSource } from 'typeorm';
import type { PatientFacts } from '../indicators/patient-monitoring';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import { MONITORING_PATIENTS, MONITORING_SITES, monitoredStateOf, type MonitoringPatientRow } from '../projection/monitoring-rows';

/** null: every site; otherwise only these (possibly none). */
export type SiteFilter = readonly string[] | null;

export interface SiteRef {
  siteId: string;
  name: string | null;
}

const table = (name: string) => `"${MONITORING_PROJECTION.schema}"."${name}"`;

/** Reads the monitoring read model; callers have already narrowed the sites to the caller's scope. */
export class MonitoringReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Activated sites and sites that have patients (a site's patients may be projected before its activation). */
  async sites(sites: SiteFilter): Promise<SiteRef[]> {
    const rows: Array<{ site_id: string; name: string | null }> = await this.dataSource.query(
      `SELECT site_id, max(name) AS name FROM (
         SELECT site_id, name FROM ${table(MONITORING_SITES)}
         UNION ALL
         SELECT DISTINCT site_id, NULL FROM ${table(MONITORING_PATIENTS)} WHERE site_id IS NOT NULL
       ) known
       ${sites ? 'WHERE site_id = ANY($1::text[])' : ''}
       GROUP BY site_id ORDER BY site_id`,
      sites ? [sites] : [],
    );
    return rows.map((row) => ({ siteId: row.site_id, name: row.name }));
  }

  /** The facts of the patients of these sites who had consented by `until` (a date), ordered by patient. */
  async patientsOf(siteIds: readonly string[], until: string): Promise<PatientFacts[]> {
    const rows: Array<Pick<MonitoringPatientRow, 'patient_id' | 'site_id' | 'state' | 'log'>> = await this.dataSource.query(
      `SELECT patient_id, site_id, state, log FROM ${table(MONITORING_PATIENTS)}
        WHERE site_id = ANY($1::text[]) AND consent_date <= $2::date
        ORDER BY patient_id`,
      [siteIds, until],
    );
    return rows.map((row) => ({ patientId: row.patient_id, siteId: row.site_id, state: monitoredStateOf(row), log: row.log }));
  }
}
