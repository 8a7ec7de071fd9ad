import type { DataSource } from 'typeorm';
import {
  REGISTRY_PATIENTS,
  REGISTRY_PROJECTION,
  REGISTRY_SITES,
  REGISTRY_STATUSES,
  type RegistryPatientRow,
  type RegistrySiteRow,
  type RegistryStatus,
} from '@trialstream/projections';
import type { RegistryPatientPage, RegistryPatientView, RegistrySiteView } from './registry-query.dto';

/** null: every site; otherwise only these (possibly none). */
export type SiteFilter = readonly string[] | null;

export interface PatientFilter {
  sites: SiteFilter;
  status?: RegistryStatus;
  limit: number;
  offset: number;
}

const table = (name: string) => `"${REGISTRY_PROJECTION.schema}"."${name}"`;

type StoredPatient = Omit<RegistryPatientRow, 'last_event_at'> & { last_event_at: Date; total: string };

/** Reads the registry read model; the filters it is given are already narrowed to the caller's scope. */
export class RegistryReader {
  constructor(private readonly dataSource: DataSource) {}

  async patients(filter: PatientFilter): Promise<RegistryPatientPage> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (filter.sites) {
      parameters.push(filter.sites);
      conditions.push(`site_id = ANY($${parameters.length}::text[])`);
    }
    if (filter.status) {
      parameters.push(filter.status);
      conditions.push(`status = $${parameters.length}`);
    }
    parameters.push(filter.limit, filter.offset);
    const rows: StoredPatient[] = await this.dataSource.query(
      `SELECT *, count(*) OVER ()::text AS total FROM ${table(REGISTRY_PATIENTS)}
        ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY site_id, patient_id
        LIMIT $${parameters.length - 1} OFFSET $${parameters.length}`,
      parameters,
    );
    const total = rows.length > 0 ? Number(rows[0].total) : await this.count(conditions, parameters.slice(0, -2));
    return { items: rows.map(toPatientView), total, limit: filter.limit, offset: filter.offset };
  }

  async sites(sites: SiteFilter): Promise<RegistrySiteView[]> {
    const rows: RegistrySiteRow[] = await this.dataSource.query(
      `SELECT * FROM ${table(REGISTRY_SITES)} ${sites ? 'WHERE site_id = ANY($1::text[])' : ''} ORDER BY site_id`,
      sites ? [sites] : [],
    );
    return rows.map((row) => ({
      siteId: row.site_id,
      name: row.name,
      activatedAt: row.activated_at,
      patients: row.patients,
      byStatus: Object.fromEntries(REGISTRY_STATUSES.map((status) => [status, row[status]])) as Record<RegistryStatus, number>,
    }));
  }

  /** A page past the end still reports how many patients match. */
  private async count(conditions: string[], parameters: unknown[]): Promise<number> {
    const [row]: Array<{ total: string }> = await this.dataSource.query(
      `SELECT count(*)::text AS total FROM ${table(REGISTRY_PATIENTS)} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      parameters,
    );
    return Number(row.total);
  }
}

function toPatientView(row: StoredPatient): RegistryPatientView {
  return {
    patientId: row.patient_id,
    siteId: row.site_id,
    status: row.status,
    enrolledAt: row.enrolled_at,
    lastEventType: row.last_event_type,
    lastEventAt: row.last_event_at.toISOString(),
    eventCounts: row.event_counts,
    totalEvents: row.total_events,
  };
}
