import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, AsOfQuery, attachmentBody } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { ReadsProjection } from '@trialstream/projections';
import { ANALYSIS_PROJECTION } from '../projection/analysis.projection';
import { EndpointQuery, optionsOf } from './analysis-query.dto';
import { AnalysisService } from './analysis.service';
import {
  AnalysisPatients,
  AnalysisProtocolView,
  EndpointGroupView,
  EndpointsByArm,
  EndpointSummaryView,
  PooledEndpoints,
  PooledSafety,
  SafetyByArm,
  SafetySummaryView,
} from './analysis.views';

const UNKNOWN_VISIT = { 400: 'A malformed query, or `visit` is not a visit of the protocol (rule unknown-visit)' };

/**
 * The endpoints of DOMAIN.md. Pooled results for every analysis reader; per-arm results only for
 * unblinded roles after the unblinding (per-arm safety: the safety board before it too). Blinded
 * readers never receive CD19/CD20 values or B-cell depletion, not even pooled: in a placebo-controlled
 * trial the count of depleted patients is the count of patients on rituximab.
 */
@ApiTags('analysis')
// the per-arm maps name these schemas by reference
@ApiExtraModels(EndpointGroupView, EndpointSummaryView, SafetySummaryView)
@ReadsProjection(ANALYSIS_PROJECTION.schema)
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('protocol')
  @ApiEndpoint({
    summary: "The protocol's arms, named visits and endpoints (as of a day: the version in force on it)",
    ok: AnalysisProtocolView,
  })
  @RequirePermission('read-analysis-blinded')
  protocol(@Query() query: AsOfQuery) {
    return this.analysis.protocolSummary(query.asOf);
  }

  @Get('patients')
  @ApiEndpoint({
    summary: "Each patient's endpoints at the visit asked for (or the latest)",
    description: 'CD19/CD20 and B-cell depletion only for readers allowed to see masked analytes; `arm` only after unblinding',
    ok: AnalysisPatients,
    refusals: UNKNOWN_VISIT,
  })
  @RequirePermission('read-analysis-blinded')
  patients(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.patients(principal, optionsOf(query));
  }

  @Get('endpoints')
  @ApiEndpoint({
    summary: "Endpoints pooled over the reader's patients, and each protocol endpoint at its visit",
    ok: PooledEndpoints,
    refusals: UNKNOWN_VISIT,
  })
  @RequirePermission('read-analysis-blinded')
  endpoints(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.endpoints(principal, optionsOf(query));
  }

  @Get('endpoints/by-arm')
  @RequirePermission('read-analysis-unblinded')
  @ApiEndpoint({
    summary: 'Endpoints per arm, compared between the arms (after unblinding)',
    ok: EndpointsByArm,
    refusals: { ...UNKNOWN_VISIT, 403: 'The role may not read per-arm results, or (rule trial-blinded) the trial has not been unblinded' },
  })
  endpointsByArm(@CurrentPrincipal() principal: Principal, @Query() query: EndpointQuery) {
    return this.analysis.endpointsByArm(principal, optionsOf(query));
  }

  @Get('safety')
  @ApiEndpoint({ summary: "Adverse events pooled over the reader's patients", ok: PooledSafety })
  @RequirePermission('read-analysis-blinded')
  safety(@CurrentPrincipal() principal: Principal) {
    return this.analysis.safety(principal);
  }

  @Get('safety/by-arm')
  @RequirePermission('read-analysis-unblinded')
  @ApiEndpoint({
    summary: 'Adverse events per arm (the safety board before unblinding too; each such read is logged)',
    ok: SafetyByArm,
    refusals: { 403: 'The role may not read per-arm results, or (rule trial-blinded) only the safety board may before unblinding' },
  })
  safetyByArm(@CurrentPrincipal() principal: Principal) {
    return this.analysis.safetyByArm(principal);
  }

  @Get('dataset.csv')
  @RequirePermission('read-analysis-blinded')
  @ApiEndpoint({
    summary: 'The analysis dataset as CSV (an `arm` column only for unblinded readers after unblinding)',
    ok: attachmentBody('text/csv', 'One row per measurement: subject, site, parameter, unit, visit, date, value, change from baseline'),
  })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="analysis-dataset.csv"')
  dataset(@CurrentPrincipal() principal: Principal) {
    return this.analysis.dataset(principal);
  }
}
