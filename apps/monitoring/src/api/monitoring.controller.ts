import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, attachmentBody } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import type { Response } from 'express';
import { ReadsProjection } from '@trialstream/projections';
import { isAwaitingSignature } from '@trialstream/domain';
import { AccessLog } from '@trialstream/write-side';
import { MONITORING_PROJECTION } from '../projection/monitoring.projection';
import type { DeviationView, QueryView } from '../indicators/patient-monitoring';
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
import { deviationList, Page, pageOf, patientList, PatientListItem, queryList } from './site-lists';

const FORBIDDEN = 'The role may not read patient data, or the site is outside the sites assigned to you';
const NO_SUCH_SITE = 'No such site';
const csv = (rows: string) => attachmentBody('text/csv', `${rows}; recorded as an audited export before it is sent`);

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
    refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE },
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
    refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE },
  })
  async signatures(@CurrentPrincipal() principal: Principal, @Param('siteId') siteId: string, @Query() query: SignatureFilterQuery) {
    const { asOf, items } = await this.monitoring.signatures(principal, siteId, query.asOf, query.patientId);
    const wanted = query.status;
    const selected =
      wanted === undefined ? items : items.filter((item) => (wanted === 'awaiting' ? isAwaitingSignature(item) : item.status === wanted));
    return { asOf, items: selected };
  }

  @Get(':siteId/patients')
  @ApiEndpoint({
    summary: 'The site’s patients: status, next visit due, overdue visits and their missing forms',
    ok: PatientListPage,
    refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE },
  })
  async patients(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: PatientPageQuery,
  ): Promise<Page<PatientListItem> & { asOf: string }> {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return { asOf, ...pageOf(patientList(patients, query), query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0) };
  }

  @Get(':siteId/patients/export.csv')
  @ApiEndpoint({ summary: 'The site’s patients as CSV', ok: csv('One row per patient'), refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE } })
  async patientsCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: PatientFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return this.export(
      principal,
      res,
      `monitoring/sites/${siteId}/patients`,
      { ...query, asOf },
      patientsCsv(patientList(patients, query)),
    );
  }

  @Get(':siteId/deviations')
  @ApiEndpoint({
    summary: 'Protocol deviations dated by the reporting date, with the events behind each',
    ok: DeviationPage,
    refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE },
  })
  async deviations(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: DeviationPageQuery,
  ): Promise<Page<DeviationView> & { asOf: string }> {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return { asOf, ...pageOf(deviationList(patients, query), query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0) };
  }

  @Get(':siteId/deviations/export.csv')
  @ApiEndpoint({ summary: 'Protocol deviations as CSV', ok: csv('One row per deviation'), refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE } })
  async deviationsCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: DeviationFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return this.export(
      principal,
      res,
      `monitoring/sites/${siteId}/deviations`,
      { ...query, asOf },
      deviationsCsv(deviationList(patients, query)),
    );
  }

  @Get(':siteId/queries')
  @ApiEndpoint({
    summary: 'Queries raised by the reporting date, with their status and age at that date; oldest first',
    ok: QueryPage,
    refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE },
  })
  async queries(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: QueryPageQuery,
  ): Promise<Page<QueryView> & { asOf: string }> {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return { asOf, ...pageOf(queryList(patients, query), query.limit ?? DEFAULT_PAGE_SIZE, query.offset ?? 0) };
  }

  @Get(':siteId/queries/export.csv')
  @ApiEndpoint({ summary: 'Queries as CSV', ok: csv('One row per query'), refusals: { 403: FORBIDDEN, 404: NO_SUCH_SITE } })
  async queriesCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Query() query: QueryFilterQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { asOf, patients } = await this.monitoring.siteAt(principal, siteId, query.asOf);
    return this.export(principal, res, `monitoring/sites/${siteId}/queries`, { ...query, asOf }, queriesCsv(queryList(patients, query)));
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
