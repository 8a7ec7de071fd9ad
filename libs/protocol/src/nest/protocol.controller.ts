import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AnyAuthenticatedRole, CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { ApiEndpoint } from '@trialstream/api-common';
import { respond, SUBMISSION_HEADERS, SUBMISSION_REFUSALS } from '@trialstream/write-side';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';
import { ProtocolRegistry } from './protocol-registry';
import { ProtocolActivationAnswer, ProtocolVersionView } from './protocol.views';

export class ActivateProtocolDto {
  @ApiProperty({ description: 'Client-chosen id; resubmitting it returns the first result' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'submissionId may contain only letters, digits and . _ : -' })
  submissionId: string;

  @ApiProperty({ description: 'The protocol file (YAML text), validated by its JSON Schema' })
  @IsString()
  @Length(1, 200_000)
  file: string;

  @ApiPropertyOptional({ example: '2026-06-01', description: 'From this date on, data are judged by this version (default: today)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom must be a date YYYY-MM-DD' })
  effectiveFrom?: string;
}

/** Protocol versions: a new file is an amendment, an event on the trial stream with its effective date. */
@ApiTags('protocol')
@Controller('protocol')
export class ProtocolController {
  constructor(private readonly registry: ProtocolRegistry) {}

  /** The protocol is no secret: every role works by it (arms are named, never allocated here). */
  @Get('versions')
  @AnyAuthenticatedRole()
  @ApiEndpoint({ summary: "The protocol's versions, their effective dates and the one in force", ok: [ProtocolVersionView] })
  async versions() {
    const versions = await this.registry.refresh();
    const inForce = this.registry.inForceToday();
    return versions.map(({ version, effectiveFrom, sourceSha256, definition }) => ({
      version,
      protocolId: definition.id,
      title: definition.title,
      effectiveFrom,
      sourceSha256,
      inForce: definition === inForce,
    }));
  }

  @Post('versions')
  @HttpCode(201)
  @RequirePermission('administer')
  @ApiEndpoint({
    summary: 'Activate a protocol version (an amendment) from its file, effective from a date',
    created: { type: ProtocolActivationAnswer, headers: SUBMISSION_HEADERS },
    refusals: {
      ...SUBMISSION_REFUSALS,
      422: 'The file breaks its JSON Schema or a rule (`details` names `file.<path>` and the rule), or the amendment is not allowed',
    },
  })
  async activate(@CurrentPrincipal() principal: Principal, @Body() body: ActivateProtocolDto, @Res({ passthrough: true }) res: Response) {
    return respond(await this.registry.activate(principal, body), res);
  }
}
