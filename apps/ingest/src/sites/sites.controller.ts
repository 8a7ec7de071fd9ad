import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { EnrolPatientDto } from '../patients/dto/enrol-patient.dto';
import { respond } from '@trialstream/write-side';
import { ActivateSite } from './activate-site';
import { EnrolPatient } from './enrol-patient';
import { ActivateSiteDto } from './site.dto';

@ApiTags('sites')
@ApiBearerAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  async activate(@CurrentPrincipal() principal: Principal, @Body() body: ActivateSiteDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.commands.execute(new ActivateSite(principal, body)), res);
  }

  @Post(':siteId/patients')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data', { siteParam: 'siteId' })
  async enrol(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId') siteId: string,
    @Body() body: EnrolPatientDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return respond(await this.commands.execute(new EnrolPatient(principal, siteId, body)), res);
  }
}
