import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { assertSiteAccess, siteScope, type Principal } from '@trialstream/auth';
import { CLOCK } from '@trialstream/config';
import { signatureStatusOf, type ScopeSignatureStatus } from '@trialstream/domain';
import { ProtocolRegistry } from '@trialstream/protocol';
import { patientMonitoringAt, type PatientMonitoring } from '../indicators/patient-monitoring';
import { siteIndicators, type SiteIndicators } from '../indicators/site-indicators';
import { MonitoringReader, type SiteRef } from './monitoring-reader';

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
    private readonly protocols: ProtocolRegistry,
  ) {}

  /** The reporting date asked for, or today on the server clock (UTC). */
  asOf(asked?: string): string {
    return asked ?? this.clock().toISOString().slice(0, 10);
  }

  async overview(principal: Principal, asked?: string): Promise<SiteIndicators[]> {
    const asOf = this.asOf(asked);
    const scope = siteScope(principal);
    const sites = await this.reader.sites(scope.allSites ? null : scope.siteIds);
    const patients = await this.atDate(
      sites.map((site) => site.siteId),
      asOf,
    );
    return sites.map((site) =>
      siteIndicators(
        site,
        patients.filter((patient) => patient.siteId === site.siteId),
        asOf,
      ),
    );
  }

  async siteAt(principal: Principal, siteId: string, asked?: string): Promise<SiteAtDate> {
    const denial = assertSiteAccess(principal, siteId);
    if (denial) throw ApiError.forbidden(denial.message, [{ field: denial.field, rule: denial.rule }]);
    const [site] = await this.reader.sites([siteId]);
    if (!site) throw ApiError.notFound(`Site ${siteId}`, 'siteId');
    const asOf = this.asOf(asked);
    return { site, asOf, patients: await this.atDate([siteId], asOf) };
  }

  /** The signature state of each patient's casebook and visits with data (the monitors' view of what awaits signature). */
  async signatures(
    principal: Principal,
    siteId: string,
    asked?: string,
    patientId?: string,
  ): Promise<{ asOf: string; items: Array<ScopeSignatureStatus & { patientId: string }> }> {
    const { asOf } = await this.siteAt(principal, siteId, asked);
    const facts = (await this.reader.patientsOf([siteId], asOf)).filter(
      (patient) => patientId === undefined || patient.patientId === patientId,
    );
    await this.protocols.refresh();
    const { schedule } = this.protocols.inForceAt(asOf.slice(0, 10));
    const items = facts.flatMap((patient) =>
      signatureStatusOf(patient.state, schedule, asOf).map((status) => ({ patientId: patient.patientId, ...status })),
    );
    return { asOf, items };
  }

  indicators({ site, asOf, patients }: SiteAtDate): SiteIndicators {
    return siteIndicators(site, patients, asOf);
  }

  private async atDate(siteIds: readonly string[], asOf: string): Promise<PatientMonitoring[]> {
    const facts = await this.reader.patientsOf(siteIds, asOf);
    // the schedule and required forms of the protocol version in force on the reporting date
    await this.protocols.refresh();
    const protocol = this.protocols.inForceAt(asOf.slice(0, 10));
    const rules = { schedule: protocol.schedule, protocol };
    return facts.flatMap((patient) => patientMonitoringAt(patient, asOf, rules) ?? []);
  }
}
