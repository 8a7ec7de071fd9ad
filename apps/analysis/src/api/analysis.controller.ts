import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { ReadsProjection } from '@trialstream/projections';
import { ANALYSIS_PROJECTION } from '../projection/analysis.projection';
import { AsOfQuery } from '@trialstream/api-common';
import { EndpointQuery, optionsOf } from './analysis-query.dto';
import { AnalysisService } from './analysis.service';

/**
 * The endpoints of DOMAIN.md. Pooled results for every analysis reader; per-arm results only for
 * unblinded roles after the unblinding (per-arm safety: the safety board before it too). Blinded
 * readers never receive CD19/CD20 values or B-cell depletion, not even pooled: in a placebo-controlled
 * trial the count of depleted patients is the count of patients on rituximab.
 */
@ApiTags('analysis')
@ApiBearerAuth()
@ReadsProjection(ANALYSIS_PROJECTION.schema)
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('protocol')
  @RequirePermission('read-analysis-blinded')
  protocol(@Query() query: AsOfQuery) {
    return this.analysis.protocolSummary(query.asOf);
  }

  @Get('patients')
  @RequirePermission('read-analysis-blinded')
  patients(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.patients(principal, optionsOf(query));
  }

  @Get('endpoints')
  @RequirePermission('read-analysis-blinded')
  endpoints(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.endpoints(principal, optionsOf(query));
  }

  @Get('endpoints/by-arm')
  @RequirePermission('read-analysis-unblinded')
  @ApiForbiddenResponse({ description: 'rule trial-blinded: the trial has not been unblinded' })
  endpointsByArm(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.endpointsByArm(principal, optionsOf(query));
  }

  @Get('safety')
  @RequirePermission('read-analysis-blinded')
  safety(@CurrentPrincipal() principal: Principal) {
    return this.analysis.safety(principal);
  }

  @Get('safety/by-arm')
  @RequirePermission('read-analysis-unblinded')
  @ApiForbiddenResponse({ description: 'rule trial-blinded: before unblinding only the safety board may read per-arm safety' })
  safetyByArm(@CurrentPrincipal() principal: Principal) {
    return this.analysis.safetyByArm(principal);
  }

  @Get('dataset.csv')
  @RequirePermission('read-analysis-blinded')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="analysis-dataset.csv"')
  dataset(@CurrentPrincipal() principal: Principal) {
    return this.analysis.dataset(principal);
  }
}
