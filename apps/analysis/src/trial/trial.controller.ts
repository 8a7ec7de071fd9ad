import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyAuthenticatedRole, CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import type { Response } from 'express';
import { respond } from '@trialstream/write-side';
import { TrialStatusReader } from '../read/trial-status';
import { BreakCode, CodeBreakResult } from './code-break';
import { TakeTrialStep } from './trial-decisions';
import { CodeBreakDto, TrialStepDto, UnblindingDto } from './trial.dto';

/** The trial's lifecycle (freeze, lock, unblinding): administrator events on the `trial` stream. */
@ApiTags('trial')
@ApiBearerAuth()
@Controller('trial')
export class TrialController {
  constructor(
    private readonly commands: CommandBus,
    private readonly status: TrialStatusReader,
  ) {}

  /** Whether the trial is open, frozen, locked or unblinded is no secret: every role plans by it. */
  @Get()
  @AnyAuthenticatedRole()
  current() {
    return this.status.current();
  }

  @Post('freeze') @HttpCode(201) @RequirePermission('lock-database')
  async freeze(@CurrentPrincipal() principal: Principal, @Body() body: TrialStepDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.commands.execute(new TakeTrialStep(principal, 'freeze', { ...body })), res);
  }

  @Post('lock') @HttpCode(201) @RequirePermission('lock-database')
  async lock(@CurrentPrincipal() principal: Principal, @Body() body: TrialStepDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.commands.execute(new TakeTrialStep(principal, 'lock', { ...body })), res);
  }

  @Post('unblinding') @HttpCode(201) @RequirePermission('unblind')
  async unblind(@CurrentPrincipal() principal: Principal, @Body() body: UnblindingDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.commands.execute(new TakeTrialStep(principal, 'unblinding', { ...body })), res);
  }
}

/** An emergency code-break, asked for by the patient's site (or an administrator on its behalf). */
@ApiTags('trial')
@ApiBearerAuth()
@Controller('patients/:patientId')
export class CodeBreakController {
  constructor(private readonly commands: CommandBus) {}

  @Post('code-break') @HttpCode(201) @RequirePermission('code-break')
  async codeBreak(
    @CurrentPrincipal() principal: Principal,
    @Param('patientId') patientId: string,
    @Body() body: CodeBreakDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, kitNumber, arm }: CodeBreakResult = await this.commands.execute(new BreakCode(principal, patientId, { ...body }));
    return { ...(respond(result, res) as object), kitNumber, arm };
  }
}
