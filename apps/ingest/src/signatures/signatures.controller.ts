import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  Accounts,
  CurrentPrincipal,
  Principal,
  RequirePermission,
  SignatureCredentialsDto,
  sessionOf,
  SIGNED_ROUTE_FORBIDDEN,
} from '@trialstream/auth';
import {
  decideSignature,
  EventEnvelope,
  monitoredPatientStateFrom,
  patientStateFrom,
  SIGNATURE_MEANINGS,
  SignatureMeaning,
  SignatureRecord,
  signaturesInOrder,
  type TrialStreams,
} from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { Request, Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { assertPatientAccess } from '../patients/submit-patient-data';
import { ApiEndpoint } from '@trialstream/api-common';
import { PatientSubmissionAnswer, respond, StreamWriter, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
import { SignatureView } from './signature.views';

class SignatureScopeDto {
  @ApiProperty({ enum: ['casebook', 'visit'] })
  @IsIn(['casebook', 'visit'])
  kind: 'casebook' | 'visit';

  @ApiProperty({ required: false, example: 'baseline', description: "a visit of the protocol's schedule (scope `visit` only)" })
  @ValidateIf((scope: SignatureScopeDto) => scope.kind === 'visit')
  @IsString()
  @Matches(/^[a-z0-9-]{1,64}$/)
  visit?: string;
}

export class SignDto extends SignatureCredentialsDto {
  @ApiProperty({ example: 'sign-0001' })
  @IsString()
  @Length(1, 100)
  submissionId: string;

  @ApiProperty({ enum: SIGNATURE_MEANINGS })
  @IsIn(SIGNATURE_MEANINGS)
  meaning: SignatureMeaning;

  @ApiProperty({ type: SignatureScopeDto })
  @ValidateNested()
  @Type(() => SignatureScopeDto)
  scope: SignatureScopeDto;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

const sha256Hex = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/**
 * Electronic signatures of a patient's casebook or visit (21 CFR Part 11 §11.50, §11.70, §11.200): the
 * investigator re-authenticates with the password, and the signature is an event on the patient's
 * stream that names the stream version and the hash of what it covers.
 */
@ApiTags('signatures')
@Controller('patients/:patientId/signatures')
export class SignaturesController {
  constructor(
    private readonly writer: StreamWriter,
    private readonly accounts: Accounts,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  @ApiEndpoint({
    summary: "Sign a patient's casebook or one visit electronically (re-authentication with the password)",
    created: { type: PatientSubmissionAnswer, headers: SUBMISSION_HEADERS },
    refusals: {
      401: 'No credentials, or the password (or the user name, needed for the first signature of a session) is wrong',
      403: SIGNED_ROUTE_FORBIDDEN,
      404: 'No such patient',
      423: 'Too many failed attempts: the user name is locked out for a while',
      ...SUBMISSION_REFUSALS,
    },
  })
  @Post()
  @HttpCode(201)
  @RequirePermission('sign-record')
  async sign(
    @CurrentPrincipal() principal: Principal,
    @Param('patientId') patientId: string,
    @Body() body: SignDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const streamId = this.streams.patient(patientId);
    // Another site's patient is refused before any password is checked.
    assertPatientAccess(principal, patientId, patientStateFrom(await this.store.readStream(streamId)), 'sign-record');
    const { password, username, ...request } = body;
    await this.accounts.reauthenticate(principal, { username, password }, `patient/${patientId}`, sessionOf(req));
    const signer = {
      userId: principal.userId,
      username: (await this.accounts.usernameOf(principal.userId)) ?? '',
      printedName: principal.name,
      role: principal.role,
    };
    const scope =
      body.scope.kind === 'casebook' ? ({ kind: 'casebook' } as const) : ({ kind: 'visit', visit: String(body.scope.visit) } as const);
    const signatureId = randomUUID();
    const result = await this.writer.write<{ events: EventEnvelope[] }>({
      principal,
      streamId,
      siteOf: ({ events }) => patientStateFrom(events).siteId,
      submissionId: body.submissionId,
      expectedVersion: body.expectedVersion,
      // The credentials are not part of what a retry must repeat, and are never stored.
      request: { kind: 'signature', body: { ...request, scope } },
      resource: { patientId },
      fold: (events) => ({ events }),
      authorize: ({ events }) => assertPatientAccess(principal, patientId, patientStateFrom(events), 'sign-record'),
      decide: ({ events }, ctx) =>
        decideSignature(
          patientStateFrom(events),
          { signatureId, meaning: body.meaning, scope, signer, streamVersion: events.length },
          { ...ctx, digest: sha256Hex },
        ),
    });
    return respond(result, res);
  }

  /** Every signature of the patient, each `valid` or `invalidated` (naming the event that invalidated it). */
  @ApiEndpoint({
    summary: "Every signature of the patient's record, each `valid` or `invalidated`",
    ok: [SignatureView],
    refusals: { 404: 'No such patient' },
  })
  @Get()
  @RequirePermission('read-patient')
  async list(@CurrentPrincipal() principal: Principal, @Param('patientId') patientId: string): Promise<SignatureRecord[]> {
    const events = await this.store.readStream(this.streams.patient(patientId));
    const state = monitoredPatientStateFrom(events);
    assertPatientAccess(principal, patientId, state.patient, 'read-patient');
    return signaturesInOrder(state.signatures);
  }
}
