import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError, DEFAULT_BODY_LIMITS } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { CLOCK, TRIAL_STREAMS } from '@trialstream/config';
import {
  AllocationIssue,
  AllocationKit,
  evolveSite,
  generateAllocationList,
  initialSiteState,
  parseAllocationListCsv,
  type TrialStreams,
} from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { AllocationListExistsError, AllocationOverview, AllocationSource, AllocationStore } from '@trialstream/allocation';
import { GenerateAllocationListDto, ImportAllocationListDto } from './allocation.dto';
import { AllocationLoadedView, AllocationOverviewView } from './allocation.views';

const LIST_REFUSALS = {
  409: 'A list is already loaded (rule allocation-list-exists): a trial has one list',
  422: 'A stratum is not an activated site, or the list breaks a rule (`details` names it)',
} as const;

/** What the administrator learns from an accepted list: counts per stratum, and what to double-check. */
export interface AllocationLoaded extends AllocationOverview {
  warnings: Array<{ field: string; rule: string; message: string }>;
}

/**
 * Loading the allocation list. The administrator is a blinded role: every answer gives kit counts per
 * stratum and never an arm, not even a block's composition (an unbalanced-block warning names the
 * block only). A trial has one list; its strata must be activated sites, since a patient is
 * randomized in the stratum of their site.
 */
@ApiTags('allocation')
@RequirePermission('administer')
@Controller('allocation')
export class AllocationController {
  constructor(
    private readonly allocation: AllocationStore,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  @Get()
  @ApiEndpoint({ summary: 'The allocation list: kit counts per stratum, never an arm', ok: AllocationOverviewView })
  overview(): Promise<AllocationOverview> {
    return this.allocation.overview();
  }

  @Post('generate')
  @HttpCode(201)
  @ApiEndpoint({
    summary: 'Generate the allocation list from a seed (permuted blocks per stratum)',
    created: AllocationLoadedView,
    refusals: LIST_REFUSALS,
  })
  async generate(@CurrentPrincipal() principal: Principal, @Body() body: GenerateAllocationListDto): Promise<AllocationLoaded> {
    let kits: AllocationKit[];
    try {
      kits = generateAllocationList({
        seed: body.seed,
        strata: body.strata,
        blockSizes: body.blockSizes,
        kitsPerStratum: body.kitsPerStratum,
        arms: body.arms,
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw ApiError.ruleViolations([{ field: 'body', rule: 'valid-allocation-spec', message: error.message }]);
    }
    return this.load(principal, kits, 'generated', [], body.seed);
  }

  @Post('import')
  @HttpCode(201)
  @ApiEndpoint({
    summary: 'Import an allocation list prepared by an independent statistician (CSV)',
    created: AllocationLoadedView,
    refusals: { ...LIST_REFUSALS, 413: `The body is over ${DEFAULT_BODY_LIMITS.largeBodyPaths['/allocation/import'] / 1024 / 1024} MB` },
  })
  async import(@CurrentPrincipal() principal: Principal, @Body() body: ImportAllocationListDto): Promise<AllocationLoaded> {
    const parsed = parseAllocationListCsv(body.csv, body.arms ? { arms: body.arms } : {});
    if (!parsed.ok) throw ApiError.ruleViolations(parsed.errors.map(asViolation));
    return this.load(principal, parsed.kits, 'imported', parsed.warnings);
  }

  private async load(
    principal: Principal,
    kits: AllocationKit[],
    source: AllocationSource,
    warnings: AllocationIssue[],
    seed?: string,
  ): Promise<AllocationLoaded> {
    await this.requireActivatedSites([...new Set(kits.map((kit) => kit.stratum))]);
    try {
      await this.allocation.load(kits, { source, seed, by: principal.userId, at: this.clock() });
    } catch (error) {
      if (!(error instanceof AllocationListExistsError)) throw error;
      throw ApiError.conflict('An allocation list is already loaded; a trial has one list', [
        { field: 'allocation', rule: 'allocation-list-exists' },
      ]);
    }
    return { ...(await this.allocation.overview()), warnings: warnings.map(withoutTally) };
  }

  private async requireActivatedSites(strata: string[]): Promise<void> {
    const unknown: string[] = [];
    for (const stratum of strata) {
      const site = (await this.store.readStream(this.streams.site(stratum))).reduce(evolveSite, initialSiteState);
      if (!site.activated) unknown.push(stratum);
    }
    if (unknown.length > 0) {
      throw ApiError.ruleViolations(
        unknown.map((stratum) => ({
          field: 'stratum',
          rule: 'activated-site',
          message: `stratum ${stratum} is not an activated site of this trial`,
        })),
      );
    }
  }
}

const asViolation = (issue: AllocationIssue) => ({
  field: issue.line === undefined ? `csv.${issue.field}` : `csv.line${issue.line}.${issue.field}`,
  rule: issue.rule,
  message: issue.line === undefined ? issue.message : `line ${issue.line}: ${issue.message}`,
});

/** "block 2 of stratum S01 is unbalanced: 2 rituximab, 1 placebo" loses the tally after the colon. */
const withoutTally = (issue: AllocationIssue) => ({ field: issue.field, rule: issue.rule, message: issue.message.replace(/:.*$/, '') });
