import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import { EventEnvelopeView } from '@trialstream/event-store';
import { CurrentPrincipal, Principal, RequirePermission } from '@trialstream/auth';
import type { Response } from 'express';
import { PatientSubmissionAnswer, RandomizationAnswer, respond, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
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
import { PatientSubmissionKind } from './patient-submissions';
import { RandomizePatient } from './randomize-patient';
import { SubmitPatientData } from './submit-patient-data';

type Body = Record<string, unknown> & { submissionId: string; expectedVersion?: number };

const NO_SUCH_PATIENT = 'No such patient';

/** A site's submission about one patient: one event on the patient's stream. */
const PatientSubmission = (summary: string, description?: string) =>
  ApiEndpoint({
    summary,
    description,
    created: { type: PatientSubmissionAnswer, headers: SUBMISSION_HEADERS },
    refusals: { 404: NO_SUCH_PATIENT, ...SUBMISSION_REFUSALS },
  });

@ApiTags('patients')
@Controller('patients/:patientId')
export class PatientsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private async submit(principal: Principal, patientId: string, kind: PatientSubmissionKind, body: object, res: Response) {
    return respond(await this.commands.execute(new SubmitPatientData(principal, patientId, kind, { ...body } as Body)), res);
  }

  @ApiEndpoint({
    summary: "A patient's events as recorded",
    description: 'Blinded roles get masked analytes and allocation-revealing values removed; chain fields only for auditors',
    ok: [EventEnvelopeView],
    refusals: { 404: NO_SUCH_PATIENT },
  })
  @Get('events')
  @RequirePermission('read-patient')
  history(@CurrentPrincipal() principal: Principal, @Param('patientId') patientId: string) {
    return this.queries.execute(new GetPatientHistory(principal, patientId));
  }

  @ApiEndpoint({
    summary: 'Randomize a patient: the server takes the next kit of the stratum from the allocation list',
    description: 'Answers the kit and the stratum, never the arm',
    created: { type: RandomizationAnswer, headers: SUBMISSION_HEADERS },
    refusals: { 404: NO_SUCH_PATIENT, ...SUBMISSION_REFUSALS },
  })
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

  @PatientSubmission('Record an infusion', 'Cycle, body-surface area, planned dose and deviations are derived and stored with it')
  @Post('infusions')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  infusion(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordInfusionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'infusions', body, res);
  }

  @PatientSubmission('Record a lab result', 'The unit must be one the protocol in force accepts for the analyte')
  @Post('labs')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  lab(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordLabResultDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'labs', body, res);
  }

  @PatientSubmission('Record a nerve conduction study')
  @Post('neurography')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  neurography(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordNeurographyDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'neurography', body, res);
  }

  @PatientSubmission('Record a clinical assessment (INCAT, sensory sum score, MRC, walk, global status)')
  @Post('assessments')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  assessment(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: RecordClinicalAssessmentDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'assessments', body, res);
  }

  @PatientSubmission('Report an adverse event')
  @Post('adverse-events')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  adverseEvent(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: ReportAdverseEventDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'adverse-events', body, res);
  }

  @PatientSubmission('Withdraw a patient from the trial')
  @Post('withdrawal')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: WithdrawPatientDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'withdrawal', body, res);
  }

  @PatientSubmission(
    'Correct an entry: a new event naming the one corrected and why',
    "`data` is the full corrected payload of the entry's type, checked by that type's rules",
  )
  @Post('corrections')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  correct(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: CorrectEntryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'corrections', body, res);
  }

  @PatientSubmission('Void an entry: a new event naming the one voided and why')
  @Post('voids')
  @HttpCode(201)
  @RequirePermission('submit-clinical-data')
  void(
    @CurrentPrincipal() p: Principal,
    @Param('patientId') id: string,
    @Body() body: VoidEntryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit(p, id, 'voids', body, res);
  }
}
