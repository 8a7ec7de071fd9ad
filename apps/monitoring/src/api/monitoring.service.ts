import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { assertSiteAccess, siteScope, type Principal } from '@trialstream/auth';
import { CLOCK } from '@trialstream/config';
import { signatureStatusOf, type ScopeSignatureStatus } from '@trialstream/domain';
import { ProtocolRegistry } from '@trialstream/protocol';
import { patientMonitoringAt, type MonitoringRules, type PatientMonitoring } from '../indicators/patient-monitoring';
import { siteIndicators, type SiteIndicators } from '../indicators/site-indicators';
import { KeptByDate } from './kept-by-date';
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

/** Patients folded at a time by the warm-up, between which requests are served (a few ms each at 100 events a patient). */
const WARM_UP_PATIENTS = 25;

type Rules = MonitoringRules & { basis: string };

/** What a patient's picture at a date is a function of: its row's version and the rules. */
const pictureBasis = (version: number, rules: Rules): string => `${version}\n${rules.basis}`;

/**
 * Monitoring at a date for the sites a principal may see. Every path to a site's data passes
 * `siteAt`, which refuses a site outside the caller's scope before anything is read.
 *
 * A site's figures are a function of the date, the protocol rules in force on it and its patients'
 * rows; a row changes only with a new event of its stream, so the figures are kept with the site's
 * count of patient events and computed again only when the count, read with the site on each request
 * (one row a site, whatever its size), moved. Then only the patients whose version moved are read and
 * folded again: every patient's picture is kept with its version (about 5 kB each, so some 50 MB at
 * 10,000 patients, for today and for the other date read last), so a site with one new event costs one
 * patient. `warmToday` folds today's figures of quiet sites in the background, so that the first read
 * after a start, a catch-up or midnight does not fold every patient of the trial while the monitor waits.
 */
@Injectable()
export class MonitoringService {
  /** By date, each site's indicators with their basis (one entry a site: a few numbers each). */
  private readonly indicatorsByDate = new KeptByDate<{ basis: string; indicators: SiteIndicators }>(3, () => this.asOf());
  /** By date, each patient's picture with what it was computed from (its stream version, the rules). */
  private readonly picturesByDate = new KeptByDate<{ basis: string; picture: PatientMonitoring | null }>(1, () => this.asOf());
  /** Each site's count of patient events at the warm-up before: a site is warmed once it stayed put for one round. */
  private readonly countsWarmedUpBefore = new Map<string, number>();
  /** What the last warm-up round left: sites whose figures for today are kept, and sites still to fold. */
  private warmedUp = { kept: 0, stale: 0 };
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
    const keptAtDate = this.indicatorsByDate.at(asOf);
    const kept = sites.map((site) => {
      const entry = keptAtDate.get(site.siteId);
      return entry?.basis === basis(asOf, rules, site) ? entry.indicators : undefined;
    });
    const stale = sites.filter((_, index) => kept[index] === undefined).map((site) => site.siteId);
    const read = stale.length > 0 ? await this.picturesBySite(stale, asOf, rules) : new Map<string, PatientMonitoring[]>();
    return sites.map((site, index) => {
      const indicators = kept[index] ?? this.keepIndicators(site, read.get(site.siteId) ?? [], asOf, rules);
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
    const kept = this.indicatorsByDate.at(asOf);
    const entry = kept.get(site.siteId);
    if (entry?.basis === computedFrom) return { ...entry.indicators, name: site.name };
    const indicators = siteIndicators(site, patients, asOf);
    kept.set(site.siteId, { basis: computedFrom, indicators });
    return indicators;
  }

  /**
   * Folds today's figures of every site whose count of patient events has not moved since the round before
   * (a site still catching up or busy is left to its reads, which fold only what moved): a site at a time,
   * a few patients at a time, serving requests in between. Run in rounds by the warm-up.
   */
  async warmToday(): Promise<void> {
    const asOf = this.asOf();
    const [sites, rules] = await Promise.all([this.reader.sites(null), this.rulesAt(asOf)]);
    const isKept = (site: SiteActivity) => this.indicatorsByDate.at(asOf).get(site.siteId)?.basis === basis(asOf, rules, site);
    for (const site of sites) {
      const quiet = this.countsWarmedUpBefore.get(site.siteId) === site.patientEvents;
      this.countsWarmedUpBefore.set(site.siteId, site.patientEvents);
      if (!quiet || isKept(site)) continue;
      const kept = this.picturesByDate.at(asOf);
      const stale = (await this.reader.patientVersions([site.siteId], asOf))
        .filter((patient) => kept.get(patient.patientId)?.basis !== pictureBasis(patient.version, rules))
        .map((patient) => patient.patientId);
      for (let start = 0; start < stale.length; start += WARM_UP_PATIENTS) {
        await this.foldPictures(stale.slice(start, start + WARM_UP_PATIENTS), [site.siteId], asOf, rules);
        await yieldToRequests();
      }
      this.keepIndicators(site, (await this.picturesBySite([site.siteId], asOf, rules)).get(site.siteId) ?? [], asOf, rules);
    }
    const kept = sites.filter(isKept).length;
    this.warmedUp = { kept, stale: sites.length - kept };
  }

  /** Sites whose figures for today the last warm-up round left kept, and those it left to fold (moving, or new). */
  warmUpState(): { kept: number; stale: number } {
    return this.warmedUp;
  }

  /** A site's indicators from its patients' pictures, kept with what they were computed from. */
  private keepIndicators(site: SiteActivity, pictures: PatientMonitoring[], asOf: string, rules: Rules): SiteIndicators {
    const indicators = siteIndicators(site, pictures, asOf);
    this.indicatorsByDate.at(asOf).set(site.siteId, { basis: basis(asOf, rules, site), indicators });
    return indicators;
  }

  /** The schedule and required forms of the protocol version in force on the reporting date, and what identifies them. */
  private async rulesAt(asOf: string): Promise<Rules> {
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
  private async picturesBySite(siteIds: readonly string[], asOf: string, rules: Rules): Promise<Map<string, PatientMonitoring[]>> {
    const patients = await this.reader.patientVersions(siteIds, asOf);
    // taken now: a request for another date may replace them while this one reads
    const kept = this.picturesByDate.at(asOf);
    const pictures = new Map(patients.map((patient) => [patient.patientId, kept.get(patient.patientId)]));
    const stale = patients.filter((patient) => pictures.get(patient.patientId)?.basis !== pictureBasis(patient.version, rules));
    if (stale.length > 0) {
      // everyone stale (the first read, another date): the sites' rows in one scan, not a list of ids
      const named = stale.length === patients.length ? null : stale.map((patient) => patient.patientId);
      for (const [patientId, computed] of await this.foldPictures(named, siteIds, asOf, rules)) pictures.set(patientId, computed);
    }
    const bySite = new Map(siteIds.map((siteId) => [siteId, [] as PatientMonitoring[]]));
    for (const patient of patients) {
      const picture = pictures.get(patient.patientId)?.picture;
      if (picture) bySite.get(patient.siteId)?.push(picture);
    }
    return bySite;
  }

  /** Reads and folds these patients (null: all of these sites' who had consented by the date) and keeps their pictures. */
  private async foldPictures(patientIds: readonly string[] | null, siteIds: readonly string[], asOf: string, rules: Rules) {
    const folded = new Map<string, { basis: string; picture: PatientMonitoring | null }>();
    for (const { version, facts } of await this.reader.patientsNamed(patientIds, siteIds, asOf)) {
      folded.set(facts.patientId, { basis: pictureBasis(version, rules), picture: patientMonitoringAt(facts, asOf, rules) });
    }
    const kept = this.picturesByDate.at(asOf);
    for (const [patientId, computed] of folded) kept.set(patientId, computed);
    return folded;
  }
}
