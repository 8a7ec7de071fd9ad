import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isBlinded, Principal } from '@trialstream/auth';
import { EventEnvelope, patientStateFrom, patientStreamId, ProtocolDefinition, redactForBlindedReader } from '@trialstream/domain';
import type { PostgresEventStore } from '@trialstream/event-store';
import { PROTOCOL } from '@trialstream/config';
import { EVENT_STORE } from '@trialstream/event-store';
import { assertPatientAccess } from './submit-patient-data';

export class GetPatientHistory {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
  ) {}
}

/** A patient's events as recorded; blinded readers get allocation-revealing values removed. */
@QueryHandler(GetPatientHistory)
export class GetPatientHistoryHandler implements IQueryHandler<GetPatientHistory, EventEnvelope[]> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
  ) {}

  async execute({ principal, patientId }: GetPatientHistory): Promise<EventEnvelope[]> {
    const events = await this.store.readStream(patientStreamId(patientId));
    assertPatientAccess(principal, patientId, patientStateFrom(events), 'read-patient');
    return isBlinded(principal) ? events.map((event) => redactForBlindedReader(this.protocol, event)) : events;
  }
}
