import type { DataSource } from 'typeorm';
import type { PatientFacts } from '../indicators/patient-monitoring';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import {
  MONITORING_EVENTS,
  MONITORING_PATIENTS,
  MONITORING_SITES,
  MONITORING_SITE_ACTIVITY,
  monitoredStateOf,
  type MonitoringEventRow,
  type MonitoringPatientRow,
} from '../projection/monitoring-rows';

/** null: every site; otherwise only these (possibly none). */
export type SiteFilter = readonly string[] | null;

export interface SiteRef {
  siteId: string;
  name: string | null;
}

/** A site and how many of its patients' events the read model holds: figures computed at the same count still hold. */
export interface SiteActivity extends SiteRef {
  patientEvents: number;
}

const table = (name: string) => `"${MONITORING_PROJECTION.schema}"."${name}"`;

export interface PatientVersion {
  patientId: string;
  siteId: string;
  version: number;
}

type FactRow = Pick<MonitoringPatientRow, 'patient_id' | 'site_id' | 'state' | 'stream_version'> & {
  events: Array<Omit<MonitoringEventRow, 'patient_id'>> | null;
};

const factsOf = (row: FactRow): PatientFacts => ({
  patientId: row.patient_id,
  siteId: row.site_id,
  ...monitoredStateOf(row, row.events ?? []),
});

/** The patients (`p`) of the sites `$1` who had consented by the date `$2`. */
const CONSENTED_AT_SITES = 'p.site_id = ANY($1::text[]) AND p.consent_date <= $2::date';

/** Reads the monitoring read model; callers have already narrowed the sites to the caller's scope. */
export class MonitoringReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Activated sites and sites that have patients (a site's patients may be projected before its activation),
   * each with its count of patient events.
   */
  async sites(sites: SiteFilter): Promise<SiteActivity[]> {
    const rows: Array<{ site_id: string; name: string | null; patient_events: number }> = await this.dataSource.query(
      `SELECT coalesce(s.site_id, a.site_id) AS site_id, s.name, coalesce(a.patient_events, 0) AS patient_events
         FROM ${table(MONITORING_SITES)} s FULL JOIN ${table(MONITORING_SITE_ACTIVITY)} a ON a.site_id = s.site_id
        ${sites ? 'WHERE coalesce(s.site_id, a.site_id) = ANY($1::text[])' : ''}
        ORDER BY 1`,
      sites ? [sites] : [],
    );
    return rows.map((row) => ({ siteId: row.site_id, name: row.name, patientEvents: row.patient_events }));
  }

  /** The facts of the patients of these sites who had consented by `until` (a date), by patient. */
  async patientsOf(siteIds: readonly string[], until: string): Promise<PatientFacts[]> {
    return (await this.factRows(CONSENTED_AT_SITES, [siteIds, until])).map(factsOf);
  }

  /** The patients of these sites who had consented by `until`, each with its stream version, by patient; not their facts. */
  async patientVersions(siteIds: readonly string[], until: string): Promise<PatientVersion[]> {
    const rows: Array<{ patient_id: string; site_id: string; stream_version: number }> = await this.dataSource.query(
      `SELECT patient_id, site_id, stream_version FROM ${table(MONITORING_PATIENTS)}
        WHERE site_id = ANY($1::text[]) AND consent_date <= $2::date ORDER BY patient_id`,
      [siteIds, until],
    );
    return rows.map((row) => ({ patientId: row.patient_id, siteId: row.site_id, version: row.stream_version }));
  }

  /** These patients' facts (all of these sites' who had consented by `until`: null), each with the stream version it was read at. */
  async patientsNamed(
    patientIds: readonly string[] | null,
    siteIds: readonly string[],
    until: string,
  ): Promise<Array<{ version: number; facts: PatientFacts }>> {
    const rows =
      patientIds === null
        ? await this.factRows(CONSENTED_AT_SITES, [siteIds, until])
        : await this.factRows('p.patient_id = ANY($1::text[])', [patientIds]);
    return rows.map((row) => ({ version: row.stream_version, facts: factsOf(row) }));
  }

  /** One statement, so the event rows are those of the same commit as the patient rows. */
  private factRows(where: string, parameters: unknown[]): Promise<FactRow[]> {
    return this.dataSource.query(
      `SELECT p.patient_id, p.site_id, p.state, p.stream_version,
                (SELECT json_agg(to_jsonb(e) - 'patient_id' ORDER BY e.stream_version)
                   FROM ${table(MONITORING_EVENTS)} e WHERE e.patient_id = p.patient_id) AS events
           FROM ${table(MONITORING_PATIENTS)} p
          WHERE ${where}
          ORDER BY p.patient_id`,
      parameters,
    );
  }
}
