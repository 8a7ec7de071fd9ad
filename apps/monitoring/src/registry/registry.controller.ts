import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError } from '@trialstream/api-common';
import { assertSiteAccess, CurrentPrincipal, RequirePermission, siteScope, type Principal } from '@trialstream/auth';
import { ReadsProjection, REGISTRY_PROJECTION } from '@trialstream/projections';
import { DEFAULT_PAGE_SIZE, ListRegistryPatientsQuery, RegistryPatientPage, RegistrySiteList } from './registry-query.dto';
import { RegistryReader, type SiteFilter } from './registry-reader';

/** The patient registry for monitors (and auditors): only ever the sites the caller is assigned to. */
@ApiTags('registry')
@RequirePermission('read-monitoring')
@ReadsProjection(REGISTRY_PROJECTION.schema)
@Controller('registry')
export class RegistryController {
  constructor(private readonly registry: RegistryReader) {}

  @Get('patients')
  @ApiEndpoint({
    summary: 'The registered patients of the sites assigned to the caller, by status',
    ok: RegistryPatientPage,
    refusals: { 403: 'The role may not read monitoring data, or siteId is outside the assigned sites' },
  })
  patients(@CurrentPrincipal() principal: Principal, @Query() query: ListRegistryPatientsQuery): Promise<RegistryPatientPage> {
    return this.registry.patients({
      sites: sitesVisibleTo(principal, query.siteId),
      status: query.status,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
    });
  }

  @Get('sites')
  @ApiEndpoint({ summary: 'The sites assigned to the caller, with their patient counts by status', ok: RegistrySiteList })
  async sites(@CurrentPrincipal() principal: Principal): Promise<RegistrySiteList> {
    return { items: await this.registry.sites(sitesVisibleTo(principal)) };
  }
}

/** The sites a request may read: the one asked for if it is in scope (403 otherwise), else the whole scope. */
function sitesVisibleTo(principal: Principal, siteId?: string): SiteFilter {
  if (siteId !== undefined) {
    const denial = assertSiteAccess(principal, siteId);
    if (denial) throw ApiError.forbidden(denial.message, [{ field: denial.field, rule: denial.rule }]);
    return [siteId];
  }
  const scope = siteScope(principal);
  return scope.allSites ? null : scope.siteIds;
}
