import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { EnrolPatientDto } from '../patients/dto/enrol-patient.dto';
import { ApiEndpoint } from '@trialstream/api-common';
import { PatientSubmissionAnswer, respond, SiteSubmissionAnswer, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
import { ActivateSite } from './activate-site';
import { EnrolPatient } from './enrol-patient';
import { ActivateSiteDto } from './site.dto';

@ApiTags('sites')
@Controller('sites')
export class SitesController {
  constructor(private readonly commands: CommandBus) {}

  @ApiEndpoint({
    summary: 'Activate a site of the trial',
    created: { type: SiteSubmissionAnswer, headers: SUBMISSION_HEADERS },
    refusals: SUBMISSION_REFUSALS,
  })
  @Post()
  @HttpCode(201)
  @RequirePermission('administer')
  async activate(@CurrentPrincipal() principal: Principal, @Body() body: ActivateSiteDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.commands.execute(new ActivateSite(principal, body)), res);
  }

  @ApiEndpoint({
    summary: 'Enrol a patient (or record a screen failure when eligibility is not met)',
    description: 'The subject id is `<siteId>-<screeningNumber>`; the answer names it (`patientId`)',
    created: { type: PatientSubmissionAnswer, headers: SUBMISSION_HEADERS },
    refusals: { 404: 'The site is not an activated site of this trial', ...SUBMISSION_REFUSALS },
  })
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
