/** One patient's stream for the analysis projection's unit tests, from the domain's payload builders. */
import {
  AdverseEventReported,
  ClinicalAssessed,
  draftEvent,
  draftTrialEvent,
  EventDraft,
  EventEnvelope,
  LabAnalyte,
  LabConversions,
  LabQualifier,
  NerveStudy,
  patientIdFor,
  DEFAULT_TRIAL_STREAMS,
  TrialStreams,
} from '@trialstream/domain';
import { enrolment } from '@trialstream/projections/testing/patient-stories';
import { anAdverseEvent, anInfusion, envelopesOf } from '@trialstream/domain/testing';
import { EntryReadings, patientDerivationOf, type PatientRows } from './analysis-rows';
import { SourceFold, type AnalysisSource } from './analysis-source';

/** Every row of one patient at once, each series' observations derived: what a reader of the tables would see of it. */
export const patientRowsOf = (source: AnalysisSource, conversions: LabConversions, readings?: EntryReadings): PatientRows => {
  const { series, ...rows } = patientDerivationOf(source, conversions, readings);
  return { ...rows, observations: series.flatMap((one) => one.rows()) };
};

export class PatientStory {
  readonly events: EventEnvelope[] = [];
  readonly patientId: string;

  constructor(
    readonly siteId: string,
    screeningNumber: string,
    /** The trial whose stream names the patient's stream carries; the default trial's by default. */
    readonly trial: TrialStreams = DEFAULT_TRIAL_STREAMS,
  ) {
    this.patientId = patientIdFor(siteId, screeningNumber);
    this.add(enrolment(siteId, screeningNumber, '2024-01-15'));
  }

  get streamId(): string {
    return this.trial.patient(this.patientId);
  }

  /** The analysis's source of the story as it stands. */
  source(): AnalysisSource {
    const fold = new SourceFold(undefined, this.events[0]);
    for (const event of this.events) fold.add(event);
    return fold.source;
  }

  add(draft: EventDraft): EventEnvelope {
    const [event] = envelopesOf(this.streamId, this.siteId, [draft], this.events.length + 1);
    this.events.push(event);
    return event;
  }

  randomized(kitNumber = 'K-1', occurredAt = '2024-01-20'): this {
    this.add(draftEvent('PatientRandomized', occurredAt, { kitNumber, stratum: this.siteId }));
    return this;
  }

  /** Planned and given as the dose level over a BSA of 1.97 m² (175 cm, 80 kg at enrolment). */
  infusion(occurredAt: string, cycle = 1, infusionInCycle = 1, doseLevelMgPerM2 = 375): EventEnvelope {
    const doseMg = 1.97 * doseLevelMgPerM2;
    return this.add(
      draftEvent(
        'InfusionGiven',
        occurredAt,
        anInfusion({ cycle, infusionInCycle, doseLevelMgPerM2, plannedDoseMg: doseMg, administeredDoseMg: doseMg }),
      ),
    );
  }

  lab(occurredAt: string, analyte: LabAnalyte, value: number, unit = 'g/L', qualifier: LabQualifier = '='): EventEnvelope {
    return this.add(draftEvent('LabResulted', occurredAt, { analyte, value, unit, qualifier }));
  }

  neurography(occurredAt: string, nerves: NerveStudy[]): EventEnvelope {
    return this.add(draftEvent('NeurographyRecorded', occurredAt, { limbTemperatureC: 33, nerves, deviations: [] }));
  }

  assessment(occurredAt: string, scores: Omit<ClinicalAssessed, 'assessorId'>): EventEnvelope {
    return this.add(draftEvent('ClinicalAssessed', occurredAt, { assessorId: 'assessor-1', ...scores }));
  }

  adverseEvent(occurredAt: string, event: Partial<AdverseEventReported> = {}): EventEnvelope {
    return this.add(draftEvent('AdverseEventReported', occurredAt, anAdverseEvent(event)));
  }

  correctLab(target: EventEnvelope, occurredAt: string, value: number, unit = 'g/L'): EventEnvelope {
    const original = target.data as { analyte: LabAnalyte; qualifier: LabQualifier };
    return this.add(
      draftEvent(
        'EntryCorrected',
        occurredAt,
        {
          correctedEventId: target.eventId,
          correctedType: 'LabResulted',
          reason: 'transcription error',
          data: { ...original, value, unit },
        },
        { eventId: target.eventId, reason: 'transcription error' },
      ),
    );
  }

  correctInfusionDate(target: EventEnvelope, occurredAt: string): EventEnvelope {
    return this.add(
      draftEvent(
        'EntryCorrected',
        occurredAt,
        { correctedEventId: target.eventId, correctedType: 'InfusionGiven', reason: 'wrong date', data: target.data as never },
        { eventId: target.eventId, reason: 'wrong date' },
      ),
    );
  }

  void(target: EventEnvelope): EventEnvelope {
    return this.add(
      draftEvent(
        'EntryVoided',
        '2024-12-01',
        { voidedEventId: target.eventId, voidedType: target.type as 'LabResulted', reason: 'wrong patient' },
        { eventId: target.eventId, reason: 'wrong patient' },
      ),
    );
  }

  codeBreak(occurredAt = '2024-06-01T10:00:00.000Z'): EventEnvelope {
    return this.add(draftTrialEvent('CodeBreakPerformed', occurredAt, { reason: 'anaphylaxis' }));
  }
}

export { protocolVersion } from '@trialstream/domain/testing';
