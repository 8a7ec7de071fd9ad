/** A committed event log for the export suites, built from the domain's payload builders: no store, just envelopes in global order. */
import {
  AdverseEventReported,
  AmendableEventType,
  AmendablePayloadByType,
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  ClinicalAssessed,
  EventEnvelope,
  EventPayloadByType,
  EventType,
  InfusionGiven,
  LabResulted,
  NeurographyRecorded,
  PatientEnrolled,
  PatientScreenFailed,
  patientStreamId,
  Role,
  siteStreamId,
} from '@trialstream/domain';
import {
  aLabResult,
  anAdverseEvent,
  anAssessment,
  anEnrolment,
  aNeurography,
  anInfusion,
  aScreenFailure,
} from '@trialstream/domain/testing';
import { ExportOptions } from '@trialstream/exports';

export interface Attribution {
  userId?: string;
  role?: Role;
  siteId?: string | null;
}

const RECORDING_START = Date.parse('2024-06-01T08:00:00.000Z');

/** A log that grows one committed event at a time, each one minute after the previous. */
export class TrialLog {
  readonly events: EventEnvelope[] = [];
  private readonly streamVersions = new Map<string, number>();

  append<K extends EventType>(
    streamId: string,
    type: K,
    occurredAt: string,
    data: EventPayloadByType[K],
    by: Attribution = {},
    amends: { eventId: string; reason: string } | null = null,
  ): EventEnvelope {
    const position = this.events.length + 1;
    const streamVersion = (this.streamVersions.get(streamId) ?? 0) + 1;
    this.streamVersions.set(streamId, streamVersion);
    const event: EventEnvelope = {
      eventId: `evt-${position}`,
      type,
      schemaVersion: 1,
      streamId,
      streamVersion,
      globalPosition: String(position),
      transactionId: String(1000 + position),
      siteId: by.siteId === undefined ? null : by.siteId,
      actor: { userId: by.userId ?? 'coordinator-zh', role: by.role ?? 'site_coordinator' },
      occurredAt,
      recordedAt: new Date(RECORDING_START + position * 60_000).toISOString(),
      correlationId: `corr-${position}`,
      causationId: null,
      submissionId: `sub-${position}`,
      amends,
      data,
      previousHash: '0'.repeat(64),
      hash: String(position).padStart(64, '0'),
    };
    this.events.push(event);
    return event;
  }

  siteActivated(siteId: string, name: string, country?: string): EventEnvelope {
    return this.append(
      siteStreamId(siteId),
      'SiteActivated',
      '2024-01-02',
      { siteId, name, ...(country ? { country } : {}) },
      {
        userId: 'admin-1',
        role: 'administrator',
      },
    );
  }

  patient(patientId: string, siteId: string, coordinator = `coordinator-${siteId.toLowerCase()}`): PatientLog {
    return new PatientLog(this, patientId, siteId, coordinator);
  }

  byId(eventId: string): EventEnvelope {
    const event = this.events.find((candidate) => candidate.eventId === eventId);
    if (!event) throw new Error(`no event ${eventId} in the log`);
    return event;
  }
}

/** One patient's stream; every method appends one event and returns its id. */
export class PatientLog {
  constructor(
    private readonly log: TrialLog,
    readonly patientId: string,
    readonly siteId: string,
    private readonly coordinator: string,
  ) {}

  private record<K extends EventType>(
    type: K,
    occurredAt: string,
    data: EventPayloadByType[K],
    by: Attribution = {},
    amends: { eventId: string; reason: string } | null = null,
  ): string {
    const attribution = { userId: this.coordinator, siteId: this.siteId, ...by };
    return this.log.append(patientStreamId(this.patientId), type, occurredAt, data, attribution, amends).eventId;
  }

  enrolled(overrides: Partial<PatientEnrolled> = {}): string {
    const [, screeningNumber] = this.patientId.split('-');
    return this.record(
      'PatientEnrolled',
      '2024-01-15',
      anEnrolment({ patientId: this.patientId, siteId: this.siteId, screeningNumber, ...overrides }),
    );
  }

  screenFailed(overrides: Partial<PatientScreenFailed> = {}): string {
    const [, screeningNumber] = this.patientId.split('-');
    return this.record(
      'PatientScreenFailed',
      '2024-01-16',
      aScreenFailure({ patientId: this.patientId, siteId: this.siteId, screeningNumber, ...overrides }),
    );
  }

  randomized(kitNumber = 'K-0042'): string {
    return this.record('PatientRandomized', '2024-01-20', { kitNumber, stratum: `site ${this.siteId}` });
  }

  infused(occurredAt: string, overrides: Partial<InfusionGiven> = {}): string {
    return this.record('InfusionGiven', occurredAt, anInfusion(overrides));
  }

  labResulted(occurredAt: string, overrides: Partial<LabResulted> = {}): string {
    return this.record('LabResulted', occurredAt, aLabResult(overrides));
  }

  neurographyRecorded(occurredAt: string, overrides: Partial<NeurographyRecorded> = {}): string {
    return this.record('NeurographyRecorded', occurredAt, aNeurography(overrides));
  }

  assessed(occurredAt: string, overrides: Partial<ClinicalAssessed> = {}): string {
    return this.record('ClinicalAssessed', occurredAt, anAssessment(overrides));
  }

  adverseEventReported(occurredAt: string, overrides: Partial<AdverseEventReported> = {}): string {
    return this.record('AdverseEventReported', occurredAt, anAdverseEvent(overrides));
  }

  withdrawn(occurredAt: string, reason: string): string {
    return this.record('PatientWithdrawn', occurredAt, { reason });
  }

  corrected<K extends AmendableEventType>(
    eventId: string,
    correctedType: K,
    data: AmendablePayloadByType[K],
    reason: string,
    options: { occurredAt?: string; by?: Attribution } = {},
  ): string {
    const occurredAt = options.occurredAt ?? this.log.byId(eventId).occurredAt;
    return this.record(
      'EntryCorrected',
      occurredAt,
      { correctedEventId: eventId, correctedType, reason, data } as EventPayloadByType['EntryCorrected'],
      options.by,
      { eventId, reason },
    );
  }

  voided(eventId: string, reason: string, by: Attribution = {}): string {
    const target = this.log.byId(eventId);
    return this.record(
      'EntryVoided',
      target.occurredAt,
      { voidedEventId: eventId, voidedType: target.type as AmendableEventType, reason },
      by,
      { eventId, reason },
    );
  }
}

export const exportOptions = (overrides: Partial<ExportOptions> = {}): ExportOptions => ({
  studyOid: 'ST.ANTIMAG-RTX',
  studyName: 'ANTIMAG-RTX',
  protocolName: 'RTX-MAG-01',
  exportedAt: '2024-07-01T09:00:00Z',
  blinded: false,
  protocol: ANTI_MAG_RITUXIMAB_PROTOCOL,
  ...overrides,
});
