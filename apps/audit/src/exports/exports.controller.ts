import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError, attachmentBody } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { CLOCK, PROTOCOL } from '@trialstream/config';
import type { ProtocolDefinition } from '@trialstream/domain';
import { toCsv, toOdmXml, toSdtmDatasets, type SdtmDomain } from '@trialstream/exports';
import type { Response } from 'express';
import { AccessLog } from '@trialstream/write-side';
import { EventLog } from '../log/event-log';
import { ExportAllocation } from './export-allocation';
import { SDTM_DOMAINS, studyExportOptions } from './study-export-options';
import { AUDITORS_ONLY } from '../audit.views';

/**
 * The clinical data leaving the platform in CDISC formats, built from the whole settled log. Every
 * export is recorded as an access event before a byte of it is sent.
 */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit/exports')
export class ExportsController {
  constructor(
    private readonly log: EventLog,
    private readonly access: AccessLog,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly allocation: ExportAllocation,
  ) {}

  @Get('odm.xml')
  @ApiEndpoint({
    summary: 'The clinical data as a CDISC ODM 1.3.2 transactional file, with the audit trail',
    ok: attachmentBody('application/xml', 'Every value with its AuditRecord (user, site, date-time, reason)'),
    refusals: AUDITORS_ONLY,
  })
  async odm(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { events, horizon } = await this.log.all();
    const options = studyExportOptions(this.protocol, principal, this.clock(), await this.allocation.armsFor(principal, events));
    const xml = toOdmXml(events, options);
    await this.access.record(principal, {
      action: 'export',
      resource: 'export/odm',
      detail: { format: 'CDISC ODM 1.3.2', blinded: options.blinded, throughPosition: horizon, exportedAt: options.exportedAt },
    });
    attachment(response, 'application/xml; charset=utf-8', `${options.studyName}-odm.xml`);
    return xml;
  }

  @Get('sdtm/:domain.csv')
  @ApiParam({ name: 'domain', enum: SDTM_DOMAINS })
  @ApiEndpoint({
    summary: 'One SDTM-shaped dataset as CSV',
    ok: attachmentBody('text/csv', 'Current values, corrections applied, voided entries left out'),
    refusals: { ...AUDITORS_ONLY, 404: 'Not one of the SDTM domains the platform produces' },
  })
  async sdtm(
    @CurrentPrincipal() principal: Principal,
    @Param('domain') requested: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const domain = requested.toUpperCase() as SdtmDomain;
    if (!(SDTM_DOMAINS as readonly string[]).includes(domain)) throw ApiError.notFound(`SDTM domain ${requested}`, 'domain');
    const { events, horizon } = await this.log.all();
    const options = studyExportOptions(this.protocol, principal, this.clock(), await this.allocation.armsFor(principal, events));
    const csv = toCsv(toSdtmDatasets(events, options)[domain]);
    await this.access.record(principal, {
      action: 'export',
      resource: `export/sdtm/${domain}`,
      detail: { format: 'SDTM CSV', domain, blinded: options.blinded, throughPosition: horizon, exportedAt: options.exportedAt },
    });
    attachment(response, 'text/csv; charset=utf-8', `${options.studyName}-${domain.toLowerCase()}.csv`);
    return csv;
  }
}

function attachment(response: Response, contentType: string, filename: string): void {
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
}
