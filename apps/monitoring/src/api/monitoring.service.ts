import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { assertSiteAccess, siteScope, type Principal } from '@trialstream/auth';
import { CLOCK, PROTOCOL } from '@trialstream/config';
import type { ProtocolDefinition, VisitSchedule } from '@trialstream/domain';
import { patientMonitoringAt, type PatientMonitoring } from '../indicators/patient-monitoring';
import { siteIndicators, type SiteIndicators } from '../indicators/site-indicators';
import { MonitoringReader, type SiteRef } from './monitoring-reader';

/** The active protocol's visit schedule (data, from the protocol definition). */
export const VISIT_SCHEDULE = 'VISIT_SCHEDULE';

/** One site's patients at a date, computed once per request and shared by its lists. */
export interface SiteAtDate {
  site: SiteRef;
  asOf: string;
  patients: PatientMonitoring[];
}

/**
 * Monitoring at a date for the sites a principal may see. Every path to a site's data passes
 * `siteAt`, which refuses a site outside the caller's scope before anything is read.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly reader: MonitoringReader,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
    @Inject(VISIT_SCHEDULE) private readonly schedule: VisitSchedule,
  ) {}

  /** The reporting date asked for, or today on the server clock (UTC). */
  asOf(asked?: string): string {
    return asked ?? this.clock().toISOString().slice(0, 10);
  }

  async overview(principal: Principal, asked?: string): Promise<SiteIndicators[]> {
    const asOf = this.asOf(asked);
    const scope = siteScope(principal);
    const sites = await this.reader.sites(scope.allSites ? null : scope.siteIds);
    const patients = await this.atDate(sites.map((site) => site.siteId), asOf);
    return sites.map((site) => siteIndicators(site, patients.filter((patient) => patient.siteId === site.siteId), asOf));
  }

  async siteAt(principal: Principal, siteId: string, asked?: string): Promise<SiteAtDate> {
    const denial = assertSiteAccess(principal, siteId);
    if (denial) throw ApiError.forbidden(denial.message, [{ field: denial.field, rule: denial.rule }]);
    const [site] = await this.reader.sites([siteId]);
    if (!site) throw ApiError.notFound(`Site ${siteId}`, 'siteId');
    const asOf = this.asOf(asked);
    return { site, asOf, patients: await this.atDate([siteId], asOf) };
  }

  indicators({ site, asOf, patients }: SiteAtDate): SiteIndicators {
    return siteIndicators(site, patients, asOf);
  }

  private async atDate(siteIds: readonly string[], asOf: string): Promise<PatientMonitoring[]> {
    const facts = await this.reader.patientsOf(siteIds, asOf);
    const rules = { schedule: this.schedule, protocol: this.protocol };
    return facts.flatMap((patient) => patientMonitoringAt(patient, asOf, rules) ?? []);
  }
}
