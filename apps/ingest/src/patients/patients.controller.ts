import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { respond } from '@trialstream/write-side';
import { CorrectEntryDto, VoidEntryDto } from './dto/amendment.dto';
import {
  RecordClinicalAssessmentDto,
  RecordInfusionDto,
  RecordLabResultDto,
  RecordNeurographyDto,
  ReportAdverseEventDto,
  WithdrawPatientDto,
} from './dto/clinical-data.dto';
import { RandomizePatientDto } from './dto/enrol-patient.dto';
import { GetPatientHistory } from './patient-history';
import { PatientSubmission } from './patient-submissions';
import { RandomizePatient } from './randomize-patient';
import { SubmitPatientData } from './submit-patient-data';

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients/:patientId')
export class PatientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async submit(principal: Principal, patientId: string, submission: PatientSubmission, res: Response) {
    return respond(await this.commands.execute(new SubmitPatientData(principal, patientId, submission)), res);
  }

  @Get('events')
  @RequirePermission('read-patient')
  history(@CurrentPrincipal() principal: Principal, @Param('patientId') patientId: string) {
    return this.queries.execute(new GetPatientHistory(principal, patientId));
  }

  @Post('randomization')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  async randomize(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RandomizePatientDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return respond(await this.commands.execute(new RandomizePatient(p, id, { ...body })), res);
  }

  @Post('infusions')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  infusion(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordInfusionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'infusions', body }, res);
  }

  @Post('labs')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  lab(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordLabResultDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'labs', body }, res);
  }

  @Post('neurography')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  neurography(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordNeurographyDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'neurography', body }, res);
  }

  @Post('assessments')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  assessment(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordClinicalAssessmentDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'assessments', body }, res);
  }

  @Post('adverse-events')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  adverseEvent(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: ReportAdverseEventDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'adverse-events', body }, res);
  }

  @Post('withdrawal')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: WithdrawPatientDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'withdrawal', body }, res);
  }

  @Post('corrections')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  correct(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: CorrectEntryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'corrections', body }, res);
  }

  @Post('voids')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  void(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: VoidEntryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, { kind: 'voids', body }, res);
  }
}
