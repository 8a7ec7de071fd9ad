import { applyDecorators, Controller, Get, Param, Query, Res, Type } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, attachmentBody, type PageQuery } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import type { Response } from 'express';
import { ReadsProjection } from '@trialstream/projections';
import { isAwaitingSignature } from '@trialstream/domain';
import { AccessLog } from '@trialstream/write-side';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import type { DeviationView, PatientMonitoring, QueryView } from '../indicators/patient-monitoring';
import type { SiteIndicators } from '../indicators/site-indicators';
import { deviationsCsv, patientsCsv, queriesCsv, sitesCsv } from './monitoring-csv';
import {
  AsOfQuery,
  DEFAULT_PAGE_SIZE,
  DeviationFilterQuery,
  SignatureFilterQuery,
  DeviationPageQuery,
  PatientFilterQuery,
  PatientPageQuery,
  QueryFilterQuery,
  QueryPageQuery,
} from './monitoring-query.dto';
import { MonitoringService } from './monitoring.service';
import { DeviationPage, PatientListPage, QueryPage, SignatureStatusList, SiteIndicatorsView, SiteOverviewView } from './monitoring.views';
import { deviationList, Page, pageOf, patientList, PatientListItem, patientListItem, patientsWithStatus, queryList } from './site-lists';

const FORBIDDEN = 'The role may not read patient data, or the site is outside the sites assigned to you';
const NO_SUCH_SITE = 'No such site';
const SITE_REFUSALS = { 403: FORBIDDEN, 404: NO_SUCH_SITE };
const csv = (rows: string) => attachmentBody('text/csv', `${rows}; recorded as an audited export before it is sent`);

/** A page of one of a site's lists (`:siteId/<list>`), at the reporting date. */
const SiteList = (list: string, summary: string, ok: Type<unknown>) =>
  applyDecorators(Get(`:siteId/${list}`), ApiEndpoint({ summary, ok, refusals: SITE_REFUSALS }));

/** The same list as a CSV file (`:siteId/<list>/export.csv`), filtered but not paged. */
const SiteListCsv = (list: string, summary: string, rows: string) =>
  applyDecorators(Get(`:siteId/${list}/export.csv`), ApiEndpoint({ summary, ok: csv(rows), refusals: SITE_REFUSALS }));

type PageOfList = AsOfQuery & PageQuery;

/**
 * What monitors open every morning, and the site's own view of it (its query inbox above all). Monitoring
 * figures are reads of a site's patient records: site coordinators (their site), monitors (their
 * assigned sites) and auditors may read them; everything is blinded for every caller (no allocation, no
 * masked analyte value), because it is built from a blinded read model.
 */
@ApiTags('monitoring')
@RequirePermission('read-patient')
@ReadsProjection(MONITORING_PROJECTION.schema)
@Controller('monitoring/sites')
export class MonitoringController {
  constructor(
    private readonly monitoring: MonitoringService,
    private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @ApiEndpoint({ summary: "Each visible site's indicators at the reporting date", ok: SiteOverviewView, refusals: { 403: FORBIDDEN } })
  async overview(@CurrentPrincipal() principal: Principal, @Query() query: AsOfQuery): Promise<{ asOf: string; items: SiteIndicators[] }> {
    return { asOf: this.monitoring.asOf(query.asOf), items: await this.monitoring.overview(principal, query.asOf) };
  }

  @Get('export.csv')
  @ApiEndpoint({ summary: "Each visible site's indicators as CSV", ok: csv('One row per site'), refusals: { 403: FORBIDDEN } })
  async overviewCsv(@CurrentPrincipal() principal: Principal, @Query() query: AsOfQuery, @Res({ passthrough: true }) res: Response) {
    const asOf = this.monitoring.asOf(query.asOf);
    const sites = await this.monitoring.overview(principal, asOf);
    return this.export(principal, res, 'monitoring/sites', { asOf }, sitesCsv(sites));
  }

  @Get(':siteId')
  @ApiEndpoint({
    summary: "One site's indicators at the reporting date",
    ok: SiteIndicatorsView,
    refusals: SITE_REFUSALS,
  })
  async site(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: AsOfQuery,
  ): Promise<SiteIndicators> {
    return this.monitoring.indicators(await this.monitoring.siteAt(principal, siteId, query.asOf));
  }

  @Get(':siteId/signatures')
  @ApiEndpoint({
    summary: 'Per patient, the casebook and each visit with data: signed, unsigned or invalidated',
    ok: SignatureStatusList,
    refusals: SITE_REFUSALS,
  })
  async signatures(@CurrentPrincipal() principal: Principal, @Param('siteId') siteId: string, @Query() query: SignatureFilterQuery) {
    const { asOf, items } = await this.monitoring.signatures(principal, siteId, query.asOf, query.patientId);
    const wanted = query.status;
    const selected =
      wanted === undefined ? items : items.filter((item) => (wanted === 'awaiting' ? isAwaitingSignature(item) : item.status === wanted));
    return { asOf, items: selected };
  }

  @SiteList('patients', 'The site’s patients: status, next visit due, overdue visits and their missing forms', PatientListPage)
  patients(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: PatientPageQuery,
  ): Promise<Page<PatientListItem> & { asOf: string }> {
    return this.page(principal, siteId, query, patientsWithStatus, patientListItem);
  }

  @SiteListCsv('patients', 'The site’s patients as CSV', 'One row per patient')
  patientsCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: PatientFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listCsv(principal, res, siteId, 'patients', query, (patients) => patientsCsv(patientList(patients, query)));
  }

  @SiteList('deviations', 'Protocol deviations dated by the reporting date, with the events behind each', DeviationPage)
  deviations(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: DeviationPageQuery,
  ): Promise<Page<DeviationView> & { asOf: string }> {
    return this.page(principal, siteId, query, deviationList, (deviation) => deviation);
  }

  @SiteListCsv('deviations', 'Protocol deviations as CSV', 'One row per deviation')
  deviationsCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: DeviationFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listCsv(principal, res, siteId, 'deviations', query, (patients) => deviationsCsv(deviationList(patients, query)));
  }

  @SiteList('queries', 'Queries raised by the reporting date, with their status and age at that date; oldest first', QueryPage)
  queries(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: QueryPageQuery,
  ): Promise<Page<QueryView> & { asOf: string }> {
    return this.page(principal, siteId, query, queryList, (view) => view);
  }

  @SiteListCsv('queries', 'Queries as CSV', 'One row per query')
  queriesCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: QueryFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.listCsv(principal, res, siteId, 'queries', query, (patients) => queriesCsv(queryList(patients, query)));
  }

  /** One page of a site's list at the reporting date; the filters and the page come from the query. */
  private async page<R, T, Q extends PageOfList>(
    principal: Principal,
    siteId: string,
    query: Q,
    list: (patients: readonly PatientMonitoring[], filter: Q) => R[],
    toItem: (row: R) => T,
  ): Promise<Page<T> & { asOf: string }> {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return { asOf, ...pageOf(list(patients, query), query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0, toItem) };
  }

  /** A site's whole list (filtered, not paged) as a CSV export. */
  private async listCsv(
    principal: Principal,
    res: Response,
    siteId: string,
    name: string,
    query: AsOfQuery,
    rows: (patients: readonly PatientMonitoring[]) => string,
  ): Promise<string> {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return this.export(principal, res, `monitoring/sites/${siteId}/${name}`, { ...query, asOf }, rows(patients));
  }

  /** A list leaving the platform is an audited access, recorded before the file is sent. */
  private async export(
    principal: Principal,
    res: Response,
    resource: string,
    detail: Record<string, unknown>,
    csv: string,
  ): Promise<string> {
    await this.accessLog.record(principal, { action: 'export', resource, detail });
    const filename = `${resource.replace(/\//g, '-')}-${String(detail.asOf)}.csv`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return csv;
  }
}
