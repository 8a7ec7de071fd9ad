import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint, ApiError } from '@trialstream/api-common';
import { CurrentPrincipal, RequirePermission, type Principal } from '@trialstream/auth';
import { type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { AccessLog } from '@trialstream/write-side';
import { requestedPointInTime } from '../audit-errors';
import { PointInTimeQuery } from '../audit-query.dto';
import { readBoundOf, type PointInTime } from '../point-in-time/point-in-time';
import { ProtocolAtMoment, type ProtocolThen } from '../point-in-time/protocol-at-moment';
import { patientAuditHistory, type PatientAuditHistory } from './patient-audit-history';
import { patientRecordAsOf, type PatientRecordAsOf } from './patient-record-as-of';
import { AUDITORS_ONLY, PatientAuditHistoryView, PatientRecordAsOfView } from '../audit.views';

/** Any patient's complete record, across all sites, for auditors; every read is itself recorded. */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit/patients/:patientId')
export class PatientAuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly access: AccessLog,
    private readonly protocolAt: ProtocolAtMoment,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  @Get('history')
  @ApiEndpoint({
    summary: "A patient's complete record across sites: every entry with who, site, role, clinical and recorded time",
    description: 'Corrections and voids appear under the entry they amend, with the reason; the read is itself recorded',
    ok: PatientAuditHistoryView,
    refusals: { ...AUDITORS_ONLY, 404: 'No such patient' },
  })
  async history(@CurrentPrincipal() principal: Principal, @Param('patientId') patientId: string): Promise<PatientAuditHistory> {
    const events = await this.store.readStream(this.streams.patient(patientId));
    if (events.length === 0) throw ApiError.notFound(`patient ${patientId}`, 'patientId');
    const history = patientAuditHistory(patientId, events);
    await this.access.record(principal, { action: 'audit-read', resource: `patient/${patientId}`, detail: { view: 'history' } });
    return history;
  }

  @Get('as-of')
  @ApiEndpoint({
    summary: "A patient's record as it stood at a recorded-at instant or global position (`at` or `position`, exactly one)",
    description: 'Corrections made by then applied, later ones not; with the protocol version in force then',
    ok: PatientRecordAsOfView,
    refusals: { ...AUDITORS_ONLY, 404: 'No such patient' },
  })
  async asOf(
    @CurrentPrincipal() principal: Principal,
    @Param('patientId') patientId: string,
    @Query() query: PointInTimeQuery,
  ): Promise<PatientRecordAsOf & { asOf: PointInTime; protocol: ProtocolThen | null }> {
    const asOf = requestedPointInTime(query);
    const streamId = this.streams.patient(patientId);
    if ((await this.store.streamVersion(streamId)) === 0) throw ApiError.notFound(`patient ${patientId}`, 'patientId');
    const record = patientRecordAsOf(patientId, await this.store.readStream(streamId, readBoundOf(asOf)));
    await this.access.record(principal, { action: 'audit-read', resource: `patient/${patientId}`, detail: { view: 'as-of', ...asOf } });
    return { asOf, protocol: await this.protocolAt.of(asOf), ...record };
  }
}
