import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { can, isBlinded, Principal } from '@trialstream/auth';
import { EventEnvelope, patientStateFrom, ProtocolDefinition, redactForBlindedReader, type TrialStreams } from '@trialstream/domain';
import type { PostgresEventStore } from '@trialstream/event-store';
import { PROTOCOL, TRIAL_STREAMS } from '@trialstream/config';
import { EVENT_STORE } from '@trialstream/event-store';
import { assertPatientAccess } from './submit-patient-data';

export class GetPatientHistory {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
  ) {}
}

/** An event as a reader who does not verify the chain gets it: no hash, no previous hash. */
export type UnchainedEvent = Omit<EventEnvelope, 'hash' | 'previousHash'>;

/**
 * Chain fields go only to roles that verify them: the next event's previous hash would otherwise be a
 * fingerprint of a masked event (and, for events of the unsalted chain format, a dictionary oracle).
 */
const withoutChainFields = ({ hash: _hash, previousHash: _previousHash, ...event }: EventEnvelope): UnchainedEvent => event;

/** A patient's events as recorded; blinded readers get allocation-revealing values removed. */
@QueryHandler(GetPatientHistory)
export class GetPatientHistoryHandler implements IQueryHandler<GetPatientHistory, Array<EventEnvelope | UnchainedEvent>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTOCOL) private readonly protocol: ProtocolDefinition,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async execute({ principal, patientId }: GetPatientHistory): Promise<Array<EventEnvelope | UnchainedEvent>> {
    const events = await this.store.readStream(this.streams.patient(patientId));
    assertPatientAccess(principal, patientId, patientStateFrom(events), 'read-patient');
    const visible = isBlinded(principal) ? events.map((event) => redactForBlindedReader(this.protocol, event)) : events;
    return can(principal, 'read-audit-log') ? visible : visible.map(withoutChainFields);
  }
}
