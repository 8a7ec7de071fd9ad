/** Builders for the monitoring unit tests: a patient's stream grown by deciding real commands. */
import { EventDraft } from '../envelope';
import { Deviation } from '../events/deviation';
import { LabAnalyte } from '../events/lab';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, DecisionContext } from '../protocol';
import { Decision } from '../rule-violation';
import { aRandomizedPatient, context, PatientFixture } from './builders';
import { RecordedEvent } from '../monitoring/forms';
import { MonitoredPatientState, monitoredPatientStateFrom } from '../monitoring/monitoring-state';
import { PatientScheduleDates } from '../monitoring/schedule';

/** A monitor's or a site's action decided at this server time. */
export const at = (now: string): DecisionContext => context({ now: new Date(now) });

type MonitoringDecide<C> = (state: MonitoredPatientState, command: C, ctx: DecisionContext) => Decision<EventDraft>;

/** A patient whose stream holds clinical data and monitoring events, folded for monitoring. */
export class MonitoredPatient {
  constructor(readonly fixture: PatientFixture = aRandomizedPatient()) {}

  get state(): MonitoredPatientState {
    return monitoredPatientStateFrom(this.fixture.events);
  }

  /** Decides a monitoring command on the folded stream, expects acceptance, commits; returns the event id. */
  act<C>(decide: MonitoringDecide<C>, command: C, ctx: DecisionContext = at('2024-06-01T12:00:00Z')): string {
    const decision = decide(this.state, command, ctx);
    if (!decision.ok) throw new Error(`expected the command to be accepted: ${JSON.stringify(decision.violations)}`);
    let eventId = '';
    for (const draft of decision.events) eventId = this.fixture.commit(draft);
    return eventId;
  }

  /** Records clinical data through the patient's own decide functions. */
  get clinical(): PatientFixture {
    return this.fixture;
  }
}

export const aMonitoredPatient = (fixture: PatientFixture = aRandomizedPatient()): MonitoredPatient => new MonitoredPatient(fixture);

/** Events as the record holds them (RecordedEvent), for schedule and deviation arithmetic. */
export const recordedLab = (eventId: string, occurredAt: string, analyte: LabAnalyte): RecordedEvent => ({
  eventId,
  type: 'LabResulted',
  occurredAt,
  data: { analyte, value: 1, unit: Object.keys(ANTI_MAG_RITUXIMAB_PROTOCOL.labs[analyte].units)[0], qualifier: '=' },
});

export const recordedNeurography = (eventId: string, occurredAt: string, deviations: Deviation[] = []): RecordedEvent => ({
  eventId,
  type: 'NeurographyRecorded',
  occurredAt,
  data: { limbTemperatureC: 33, nerves: [], deviations },
});

export const recordedAssessment = (eventId: string, occurredAt: string): RecordedEvent => ({
  eventId,
  type: 'ClinicalAssessed',
  occurredAt,
  data: { assessorId: 'assessor-3', sensorySumScore: 9 },
});

export const recordedInfusion = (
  eventId: string,
  occurredAt: string,
  cycle: number,
  infusionInCycle: number,
  deviations: Deviation[] = [],
): RecordedEvent => ({
  eventId,
  type: 'InfusionGiven',
  occurredAt,
  data: { cycle, infusionInCycle, deviations },
});

/** A randomized patient's dates for the schedule: consent 2024-01-10, randomization 2024-01-20, no infusion yet. */
export const scheduleDates = (overrides: Partial<PatientScheduleDates> = {}): PatientScheduleDates => ({
  consentDate: '2024-01-10',
  screenFailed: false,
  randomizationDate: '2024-01-20',
  withdrawalDate: null,
  infusions: [],
  ...overrides,
});

/** The infusions of one cycle, on these days, numbered in order. */
export const cycleInfusions = (cycle: number, ...days: string[]): PatientScheduleDates['infusions'] =>
  days.map((date, index) => ({ cycle, infusionInCycle: index + 1, date }));
