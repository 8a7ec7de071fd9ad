import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import {
  Accounts,
  AnyAuthenticatedRole,
  CurrentPrincipal,
  RequirePermission,
  sessionOf,
  SIGNED_ROUTE_FORBIDDEN,
  type Principal,
} from '@trialstream/auth';
import type { Request, Response } from 'express';
import { respond, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
import { CodeBreakAnswer, TrialProtocolVersions, TrialStateView, TrialStepAnswer } from './trial.views';
import { TrialStatusReader } from '../read/trial-status';
import { BreakCode, CodeBreakResult } from './code-break';
import { TakeTrialStep, TrialStep } from './trial-decisions';
import { CodeBreakDto, TrialStepDto, UnblindingDto } from './trial.dto';

/** A decision signed by re-authentication (21 CFR Part 11) when the decider is a person with a password. */
const SIGNED_REFUSALS = {
  403: SIGNED_ROUTE_FORBIDDEN,
  401: 'No credentials, or the password (or the user name, needed for the first signature of a session) is wrong',
  423: 'Too many failed attempts: the user name is locked out for a while',
  ...SUBMISSION_REFUSALS,
} as const;

const TrialStepEndpoint = (summary: string, description: string) =>
  ApiEndpoint({ summary, description, created: { type: TrialStepAnswer, headers: SUBMISSION_HEADERS }, refusals: SIGNED_REFUSALS });

/** The trial's lifecycle (freeze, lock, unblinding): administrator events on the `trial` stream. */
@ApiTags('trial')
@Controller('trial')
export class TrialController {
  constructor(
    private readonly commands: CommandBus,
    private readonly status: TrialStatusReader,
    private readonly accounts: Accounts,
  ) {}

  /** Re-authenticates the administrator, then decides; the credentials never reach the event or the retry record. */
  private async take(principal: Principal, step: TrialStep, body: TrialStepDto | UnblindingDto, req: Request, res: Response) {
    const { password, username, ...command } = body;
    const signature = await this.accounts.signatureFor(principal, { password, username }, `trial/${step}`, sessionOf(req));
    return respond(await this.commands.execute(new TakeTrialStep(principal, step, command, signature)), res);
  }

  /** Whether the trial is open, frozen, locked or unblinded is no secret: every role plans by it. */
  @Get()
  @AnyAuthenticatedRole()
  @ApiEndpoint({ summary: 'Whether the trial is open, frozen, locked or unblinded', ok: TrialStateView })
  current() {
    return this.status.current();
  }

  /** The protocol's versions and their effective dates (the definitions are the protocol files, no trial data). */
  @Get('protocol-versions')
  @ApiEndpoint({ summary: "The protocol's versions on the trial stream and their effective dates", ok: TrialProtocolVersions })
  @AnyAuthenticatedRole()
  async protocolVersions() {
    return {
      items: (await this.status.protocolVersions()).map(({ version, effectiveFrom, sourceSha256, definition }) => ({
        version,
        effectiveFrom,
        sourceSha256,
        id: definition.id,
        title: definition.title,
      })),
    };
  }

  @Post('freeze')
  @TrialStepEndpoint('Freeze the trial database: it takes no new data', 'Signed by re-authentication when the administrator is a person')
  @HttpCode(201)
  @RequirePermission('lock-database')
  freeze(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TrialStepDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.take(principal, 'freeze', body, req, res);
  }

  @Post('lock')
  @TrialStepEndpoint('Lock the trial database (final)', 'Signed by re-authentication when the administrator is a person')
  @HttpCode(201)
  @RequirePermission('lock-database')
  lock(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TrialStepDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.take(principal, 'lock', body, req, res);
  }

  @Post('unblinding')
  @TrialStepEndpoint('Unblind the trial: refused before the lock', 'Signed by re-authentication when the administrator is a person')
  @HttpCode(201)
  @RequirePermission('unblind')
  unblind(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UnblindingDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.take(principal, 'unblinding', body, req, res);
  }
}

/** An emergency code-break, asked for by the patient's site (or an administrator on its behalf). */
@ApiTags('trial')
@Controller('patients/:patientId')
export class CodeBreakController {
  constructor(
    private readonly commands: CommandBus,
    private readonly accounts: Accounts,
  ) {}

  @Post('code-break')
  @ApiEndpoint({
    summary: 'Emergency code-break of one patient: the arm is answered to the requester alone',
    description: 'Recorded as CodeBreakPerformed; the arm is never stored, logged or published',
    created: { type: CodeBreakAnswer, headers: SUBMISSION_HEADERS },
    refusals: { 404: 'No such patient', ...SIGNED_REFUSALS },
  })
  @HttpCode(201)
  @RequirePermission('code-break')
  async codeBreak(
    @CurrentPrincipal() principal: Principal,
    @Param('patientId') patientId: string,
    @Body() body: CodeBreakDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { password, username, ...command } = body;
    const sign = () => this.accounts.signatureFor(principal, { password, username }, `patient/${patientId}/code-break`, sessionOf(req));
    const { result, kitNumber, arm }: CodeBreakResult = await this.commands.execute(new BreakCode(principal, patientId, command, sign));
    return { ...(respond(result, res) as object), kitNumber, arm };
  }
}
