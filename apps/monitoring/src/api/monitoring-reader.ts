import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PatientFacts } from '../indicators/patient-monitoring';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import {
  MONITORING_EVENTS,
  MONITORING_PATIENTS,
  MONITORING_SITES,
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

const table = (name: string) => `"${MONITORING_PROJECTION.schema}"."${name}"`;

/**
 * Which rows a site's figures at a date come from: the patients who had consented by then, each at
 * its stream version (a row changes only with a new event of its stream, and the versions only grow).
 * The same digest in SQL and here: `patient:version` in patient order, joined by commas; '' for none.
 */
const VERSIONS_DIGEST = `md5(string_agg(patient_id || ':' || stream_version, ',' ORDER BY patient_id))`;
const versionsDigestOf = (rows: ReadonlyArray<Pick<MonitoringPatientRow, 'patient_id' | 'stream_version'>>): string =>
  rows.length === 0
    ? ''
    : createHash('md5')
        .update(rows.map((row) => `${row.patient_id}:${row.stream_version}`).join(','))
        .digest('hex');

/** The facts of one site's patients and the digest of the rows they were read from. */
export interface SitePatients {
  versions: string;
  patients: PatientFacts[];
}

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

  /** The facts of the patients of these sites who had consented by `until` (a date), by site as asked, then by patient. */
  async patientsOf(siteIds: readonly string[], until: string): Promise<PatientFacts[]> {
    return [...(await this.patientsBySite(siteIds, until)).values()].flatMap((site) => site.patients);
  }

  /** Per site (every one asked, with or without patients), its patients' facts as `patientsOf` reads them. */
  async patientsBySite(siteIds: readonly string[], until: string): Promise<Map<string, SitePatients>> {
    const rows = await this.factRows(CONSENTED_AT_SITES, [siteIds, until]);
    const bySite = new Map(siteIds.map((siteId) => [siteId, [] as typeof rows]));
    for (const row of rows) bySite.get(row.site_id ?? '')?.push(row);
    return new Map(
      [...bySite].map(([siteId, siteRows]) => [siteId, { versions: versionsDigestOf(siteRows), patients: siteRows.map(factsOf) }]),
    );
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

  /** The digest of a site's patient versions, as `versionsOf` gives it. */
  static digestOf(patients: readonly PatientVersion[]): string {
    return versionsDigestOf(patients.map((patient) => ({ patient_id: patient.patientId, stream_version: patient.version })));
  }

  /** Per site, the digest `patientsBySite` would give its rows now, without reading them (none: '', as for a site without patients). */
  async versionsOf(sites: SiteFilter, until: string): Promise<Map<string, string>> {
    const rows: Array<{ site_id: string; versions: string }> = await this.dataSource.query(
      `SELECT site_id, ${VERSIONS_DIGEST} AS versions FROM ${table(MONITORING_PATIENTS)}
        WHERE ${sites ? 'site_id = ANY($2::text[])' : 'site_id IS NOT NULL'} AND consent_date <= $1::date
        GROUP BY site_id`,
      sites ? [until, sites] : [until],
    );
    return new Map(rows.map((row) => [row.site_id, row.versions]));
  }
}
