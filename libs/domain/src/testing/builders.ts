/** Small builders for the domain's unit tests: a patient's record is built by deciding real commands. */
import { EventDraft } from '../envelope';
import {
  AdverseEventCommand,
  ClinicalAssessmentCommand,
  EnrolmentCommand,
  InfusionCommand,
  LabResultCommand,
  NeurographyCommand,
  RandomizationCommand,
  WithdrawalCommand,
} from '../decide/commands';
import { decideEnrolment } from '../decide/enrolment';
import { decideRandomization } from '../decide/randomization';
import { decideWithdrawal } from '../decide/withdrawal';
import { CommittedEvent, evolvePatient, initialPatientState, PatientState } from '../patient-state';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, DecisionContext } from '../protocol';
import { Decision, RuleViolation } from '../rule-violation';
import { aLabResult, anAdverseEvent, anAssessment, anEnrolment, aNeurography } from './payloads';

export const NOW = new Date('2024-06-01T12:00:00Z');

export const context = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  now: NOW,
  protocol: ANTI_MAG_RITUXIMAB_PROTOCOL,
  ...overrides,
});

/** The command a site sends for `anEnrolment()`: the same fields, and when it happened. */
export const enrolmentCommand = (overrides: Partial<EnrolmentCommand> = {}): EnrolmentCommand => {
  const { patientId: _derived, ...fields } = anEnrolment();
  return { occurredAt: '2024-01-15', ...fields, ...overrides };
};

export const randomizationCommand = (overrides: Partial<RandomizationCommand> = {}): RandomizationCommand => ({
  occurredAt: '2024-01-20',
  kitNumber: 'K-0042',
  stratum: 'site ZH01',
  ...overrides,
});

export const infusionCommand = (overrides: Partial<InfusionCommand> = {}): InfusionCommand => ({
  occurredAt: '2024-02-01',
  doseLevelMgPerM2: 375,
  administeredDoseMg: 740,
  ...overrides,
});

export const labResultCommand = (overrides: Partial<LabResultCommand> = {}): LabResultCommand => ({
  occurredAt: '2024-02-01',
  ...aLabResult(),
  ...overrides,
});

/** A study as sent: the deviations are the domain's to flag. */
export const neurographyCommand = (overrides: Partial<NeurographyCommand> = {}): NeurographyCommand => {
  const { deviations: _derived, ...fields } = aNeurography();
  return { occurredAt: '2024-02-01', ...fields, ...overrides };
};

export const clinicalAssessmentCommand = (overrides: Partial<ClinicalAssessmentCommand> = {}): ClinicalAssessmentCommand => ({
  occurredAt: '2024-02-01',
  ...anAssessment(),
  ...overrides,
});

export const adverseEventCommand = (overrides: Partial<AdverseEventCommand> = {}): AdverseEventCommand => ({
  occurredAt: '2024-02-02',
  ...anAdverseEvent(),
  ...overrides,
});

export const withdrawalCommand = (overrides: Partial<WithdrawalCommand> = {}): WithdrawalCommand => ({
  occurredAt: '2024-05-01',
  reason: 'moved abroad',
  ...overrides,
});

type Decide<C> = (state: PatientState, command: C, ctx: DecisionContext) => Decision<EventDraft>;

/** A patient whose record grows by deciding commands and committing what they decide. */
export class PatientFixture {
  state: PatientState = initialPatientState;
  readonly events: CommittedEvent[] = [];
  private sequence = 0;

  /** Decides, expects acceptance, commits; returns the id of the (last) committed event. */
  record<C>(decide: Decide<C>, command: C, ctx: DecisionContext = context()): string {
    const decision = decide(this.state, command, ctx);
    if (!decision.ok) throw new Error(`expected the command to be accepted: ${JSON.stringify(decision.violations)}`);
    let eventId = '';
    for (const draft of decision.events) eventId = this.commit(draft);
    return eventId;
  }

  commit(draft: EventDraft): string {
    this.sequence += 1;
    const event: CommittedEvent = {
      eventId: `evt-${this.sequence}`,
      type: draft.type,
      data: draft.data,
      occurredAt: draft.occurredAt,
      schemaVersion: draft.schemaVersion,
    };
    this.events.push(event);
    this.state = evolvePatient(this.state, event);
    return event.eventId;
  }

  enrolled(overrides: Partial<EnrolmentCommand> = {}): this {
    this.record(decideEnrolment, enrolmentCommand(overrides));
    return this;
  }

  randomized(overrides: Partial<RandomizationCommand> = {}): this {
    this.record(decideRandomization, randomizationCommand(overrides));
    return this;
  }

  withdrawn(overrides: Partial<WithdrawalCommand> = {}): this {
    this.record(decideWithdrawal, withdrawalCommand(overrides));
    return this;
  }
}

export const aPatient = (): PatientFixture => new PatientFixture();

export const anEnrolledPatient = (overrides: Partial<EnrolmentCommand> = {}): PatientFixture => aPatient().enrolled(overrides);

export const aRandomizedPatient = (): PatientFixture => aPatient().enrolled().randomized();

/** The single event of an accepted decision; fails the test with the violations otherwise. */
export const acceptedEvent = <E>(decision: Decision<E>): E => {
  if (!decision.ok) throw new Error(`expected acceptance, got ${JSON.stringify(decision.violations)}`);
  expect(decision.events).toHaveLength(1);
  return decision.events[0];
};

/** The violations of a rejected decision; fails the test if it was accepted. */
export const violationsOf = <E>(decision: Decision<E>): RuleViolation[] => {
  if (decision.ok) throw new Error(`expected a rejection, got ${JSON.stringify(decision.events)}`);
  return decision.violations;
};

/** Asserts the decision was rejected for this rule on this field. */
export const expectViolation = <E>(decision: Decision<E>, field: string, rule: string): void => {
  expect(violationsOf(decision)).toContainEqual(expect.objectContaining({ field, rule }));
};
