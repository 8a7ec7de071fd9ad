import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { assertSiteAccess, siteScope, type Principal } from '@trialstream/auth';
import { CLOCK } from '@trialstream/config';
import { signatureStatusOf, type ScopeSignatureStatus } from '@trialstream/domain';
import { ProtocolRegistry } from '@trialstream/protocol';
import { patientMonitoringAt, type MonitoringRules, type PatientMonitoring } from '../indicators/patient-monitoring';
import { siteIndicators, type SiteIndicators } from '../indicators/site-indicators';
import { MonitoringReader, type SiteActivity, type SiteRef } from './monitoring-reader';

/** One site's patients at a date, computed once per request and shared by its lists. */
export interface SiteAtDate {
  site: SiteRef;
  asOf: string;
  patients: PatientMonitoring[];
  /** What the figures were computed from: the date, the rules in force and the site's count of patient events. */
  basis: string;
}

/**
 * What a site's figures are a function of: the date, the rules, and its patients' rows, which change only
 * with one of their events, so with the site's count of patient events (read before the rows).
 */
const basis = (asOf: string, rules: { basis: string }, site: SiteActivity): string => `${asOf}\n${rules.basis}\n${site.patientEvents}`;

/**
 * Sites whose patients' pictures are kept between requests: a monitor works through one site's lists
 * at a time, and a picture is about 5 kB of JSON (500 patients a site at 1M events: a few MB a site).
 */
const REMEMBERED_SITES = 4;

/**
 * Monitoring at a date for the sites a principal may see. Every path to a site's data passes
 * `siteAt`, which refuses a site outside the caller's scope before anything is read.
 *
 * A site's figures are a function of the date, the protocol rules in force on it and its patients'
 * rows; a row changes only with a new event of its stream, so the figures are kept with the site's
 * count of patient events and computed again only when the count, read with the site on each request
 * (one row a site, whatever its size), moved. Then only the patients whose version moved are read and folded again: every
 * patient's picture is kept with its version (one a patient, for the date read last; about 5 kB each,
 * so some 50 MB at 10,000 patients), so a site with one new event costs one patient.
 */
@Injectable()
export class MonitoringService {
  /** Each site's indicators with their basis (one entry a site: a few numbers each). */
  private readonly indicatorsBySite = new Map<string, { basis: string; indicators: SiteIndicators }>();
  /** Each patient's picture with what it was computed from (its stream version, the date, the rules): one a patient. */
  private readonly pictureByPatient = new Map<string, { basis: string; picture: PatientMonitoring | null }>();
  /** The patients' pictures of the sites read last, most recent last. */
  private readonly patientsBySite = new Map<string, { basis: string; patients: PatientMonitoring[] }>();

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
    const [sites, rules] = await Promise.all([this.reader.sites(scope.allSites ? null : scope.siteIds), this.rulesAt(asOf)]);
    // what was kept is taken now: another request may replace it while this one reads
    const kept = sites.map((site) => {
      const entry = this.indicatorsBySite.get(site.siteId);
      return entry?.basis === basis(asOf, rules, site) ? entry.indicators : undefined;
    });
    const stale = sites.filter((_, index) => kept[index] === undefined).map((site) => site.siteId);
    const read = stale.length > 0 ? await this.picturesBySite(stale, asOf, rules) : new Map<string, PatientMonitoring[]>();
    return sites.map((site, index) => {
      let indicators = kept[index];
      if (indicators === undefined) {
        indicators = siteIndicators(site, read.get(site.siteId) ?? [], asOf);
        this.indicatorsBySite.set(site.siteId, { basis: basis(asOf, rules, site), indicators });
      }
      // the site's name is not part of the basis: it is read on every request
      return { ...indicators, name: site.name };
    });
  }

  async siteAt(principal: Principal, siteId: string, asked?: string): Promise<SiteAtDate> {
    const denial = assertSiteAccess(principal, siteId);
    if (denial) throw ApiError.forbidden(denial.message, [{ field: denial.field, rule: denial.rule }]);
    const asOf = this.asOf(asked);
    const [[activity], rules] = await Promise.all([this.reader.sites([siteId]), this.rulesAt(asOf)]);
    if (!activity) throw ApiError.notFound(`Site ${siteId}`, 'siteId');
    const wanted = basis(asOf, rules, activity);
    const kept = this.patientsBySite.get(siteId);
    this.patientsBySite.delete(siteId);
    const computed =
      kept?.basis === wanted ? kept : { basis: wanted, patients: (await this.picturesBySite([siteId], asOf, rules)).get(siteId) ?? [] };
    this.patientsBySite.set(siteId, computed);
    for (const oldest of this.patientsBySite.keys()) {
      if (this.patientsBySite.size <= REMEMBERED_SITES) break;
      this.patientsBySite.delete(oldest);
    }
    const site: SiteRef = { siteId: activity.siteId, name: activity.name };
    return { site, asOf, ...computed };
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

  indicators({ site, asOf, patients, basis: computedFrom }: SiteAtDate): SiteIndicators {
    const kept = this.indicatorsBySite.get(site.siteId);
    if (kept?.basis === computedFrom) return { ...kept.indicators, name: site.name };
    const indicators = siteIndicators(site, patients, asOf);
    this.indicatorsBySite.set(site.siteId, { basis: computedFrom, indicators });
    return indicators;
  }

  /** The schedule and required forms of the protocol version in force on the reporting date, and what identifies them. */
  private async rulesAt(asOf: string): Promise<MonitoringRules & { basis: string }> {
    await this.protocols.refresh();
    const protocol = this.protocols.inForceAt(asOf.slice(0, 10));
    return {
      schedule: protocol.schedule,
      protocol,
      basis: JSON.stringify({ schedule: protocol.schedule, maskedAnalytes: protocol.maskedAnalytes }),
    };
  }

  /**
   * Per site asked, its patients' pictures at the date. A patient's picture is kept with its stream version,
   * the date and the rules: only patients whose row moved are read and folded again, so a site with one new
   * event costs one patient, not all of them.
   */
  private async picturesBySite(
    siteIds: readonly string[],
    asOf: string,
    rules: MonitoringRules & { basis: string },
  ): Promise<Map<string, PatientMonitoring[]>> {
    const patients = await this.reader.patientVersions(siteIds, asOf);
    const basisOf = (version: number) => `${version}\n${asOf}\n${rules.basis}`;
    // taken now: a request for another date may replace them while this one reads
    const pictures = new Map(patients.map((patient) => [patient.patientId, this.pictureByPatient.get(patient.patientId)]));
    const stale = patients.filter((patient) => pictures.get(patient.patientId)?.basis !== basisOf(patient.version));
    if (stale.length > 0) {
      // everyone stale (the first read, another date): the sites' rows in one scan, not a list of ids
      const named = stale.length === patients.length ? null : stale.map((patient) => patient.patientId);
      for (const { version, facts } of await this.reader.patientsNamed(named, siteIds, asOf)) {
        const computed = { basis: basisOf(version), picture: patientMonitoringAt(facts, asOf, rules) };
        pictures.set(facts.patientId, computed);
        this.pictureByPatient.set(facts.patientId, computed);
      }
    }
    const bySite = new Map(siteIds.map((siteId) => [siteId, [] as PatientMonitoring[]]));
    for (const patient of patients) {
      const picture = pictures.get(patient.patientId)?.picture;
      if (picture) bySite.get(patient.siteId)?.push(picture);
    }
    return bySite;
  }
}
