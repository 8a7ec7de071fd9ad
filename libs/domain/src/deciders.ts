import { EventDraft } from './envelope';
import { AccessRecorded } from './events/access';
import { draftEvent } from './events/catalog';
import {
  AdverseEventCommand,
  ClinicalAssessmentCommand,
  CorrectionCommand,
  EnrolmentCommand,
  InfusionCommand,
  LabResultCommand,
  NeurographyCommand,
  RandomizationCommand,
  SiteActivationCommand,
  VoidCommand,
  WithdrawalCommand,
} from './decide/commands';
import { decideAdverseEvent } from './decide/adverse-event';
import { decideClinicalAssessment } from './decide/clinical-assessment';
import { decideCorrection } from './decide/correction';
import { decideEnrolment } from './decide/enrolment';
import { decideInfusion } from './decide/infusion';
import { decideLabResult } from './decide/lab-result';
import { decideNeurography } from './decide/neurography';
import { decideRandomization } from './decide/randomization';
import { decideSiteActivation } from './decide/site-activation';
import { decideVoid } from './decide/void';
import { decideWithdrawal } from './decide/withdrawal';
import {
  AnswerQueryCommand,
  CancelQueryCommand,
  CloseQueryCommand,
  RaiseQueryCommand,
  ReopenQueryCommand,
  SourceDataVerificationCommand,
} from './monitoring/commands';
import { decideAnswerQuery, decideCancelQuery, decideCloseQuery, decideRaiseQuery, decideReopenQuery } from './monitoring/decide-query';
import { decideSourceDataVerification } from './monitoring/decide-verification';
import { evolveMonitoring, initialMonitoredPatientState, MonitoredPatientState, MonitoringFold } from './monitoring/monitoring-state';
import { CommittedEvent } from './patient-state';
import { DecisionContext } from './protocol';
import { accept, Decision } from './rule-violation';
import { evolveSite, initialSiteState, SiteState } from './site-state';
import { CodeBreakCommand, decideCodeBreak } from './trial/decide-code-break';
import { decideDatabaseFreeze, decideDatabaseLock, decideUnblinding, TrialCommand } from './trial/decide-trial';
import { evolveTrial, initialTrialState, TrialState } from './trial/trial-state';

/**
 * One stream kind's rules, in the shape Emmett uses: the state before any event, how an event changes
 * it, and what a command yields against it (events, or the rules it breaks). Command handlers are
 * generic over this shape (`@trialstream/write-side`'s `decisionBy`); read models reuse `evolve`.
 */
export interface Decider<State, Command, Event extends EventDraft = EventDraft> {
  initialState(): State;
  evolve(state: State, event: CommittedEvent): State;
  /**
   * Opens a fold of this kind from `state`, giving the state `evolve` one event at a time would: for a kind whose
   * state grows with its stream, so that folding a whole stream, or a stream's events as they come, is not a copy
   * of that state per event.
   */
  open?(state: State): OpenFold<State>;
  decide(command: Command, state: State, ctx: DecisionContext): Decision<Event>;
}

/**
 * A fold kept open: `add` folds one more event into `state`, in place. The state it was opened from stays as it
 * was; `state` itself changes with every `add`, so whoever adds to the fold owns what it hands out.
 */
export interface OpenFold<State> {
  readonly state: State;
  add(event: CommittedEvent): void;
}

/** A stream kind's fold: a decider's initial state and evolve, and its open fold when it has one. */
export type StreamFolding<State> = Pick<Decider<State, never>, 'initialState' | 'evolve' | 'open'>;

/** A fold of the kind opened from `state`: its own open fold when it has one, else `evolve` one event at a time. */
export const openFold = <State>(folding: StreamFolding<State>, state: State): OpenFold<State> => {
  if (folding.open) return folding.open(state);
  let current = state;
  return {
    get state() {
      return current;
    },
    add: (event) => {
      current = folding.evolve(current, event);
    },
  };
};

/** `events` folded into `state`, oldest first, in one fold of the kind. */
export const foldEvents = <State>(folding: StreamFolding<State>, state: State, events: Iterable<CommittedEvent>): State => {
  const fold = openFold(folding, state);
  for (const event of events) fold.add(event);
  return fold.state;
};

/** A stream's state: its events folded, oldest first, from the decider's initial state. */
export const stateOf = <State>(folding: StreamFolding<State>, events: Iterable<CommittedEvent>): State =>
  foldEvents(folding, folding.initialState(), events);

/** A command of one kind, tagged with its kind: `{ kind: 'infusion', command: { ... } }`. */
export type KindedCommand<ByKind> = { [K in keyof ByKind]: { kind: K; command: ByKind[K] } }[keyof ByKind];

type DecisionsByKind<State, ByKind> = {
  [K in keyof ByKind]: (state: State, command: ByKind[K], ctx: DecisionContext) => Decision<EventDraft>;
};

/** A decider whose commands are tagged by kind, each kind decided by its own function. */
const byKind =
  <State, ByKind>(decisions: DecisionsByKind<State, ByKind>) =>
  <K extends keyof ByKind>(command: { kind: K; command: ByKind[K] }, state: State, ctx: DecisionContext): Decision<EventDraft> =>
    decisions[command.kind](state, command.command, ctx);

/** Everything decided on a patient's stream (`patient-<id>`): the site's data and the monitor's workflow. */
export interface PatientCommandByKind {
  enrolment: EnrolmentCommand;
  randomization: RandomizationCommand;
  infusion: InfusionCommand;
  lab: LabResultCommand;
  neurography: NeurographyCommand;
  assessment: ClinicalAssessmentCommand;
  'adverse-event': AdverseEventCommand;
  withdrawal: WithdrawalCommand;
  correction: CorrectionCommand;
  void: VoidCommand;
  'code-break': CodeBreakCommand;
  'raise-query': RaiseQueryCommand;
  'answer-query': AnswerQueryCommand;
  'close-query': CloseQueryCommand;
  'cancel-query': CancelQueryCommand;
  'reopen-query': ReopenQueryCommand;
  'verify-source-data': SourceDataVerificationCommand;
}
export type PatientCommand = KindedCommand<PatientCommandByKind>;

export const patientDecider: Decider<MonitoredPatientState, PatientCommand> = {
  initialState: () => initialMonitoredPatientState,
  evolve: evolveMonitoring,
  open: (state) => new MonitoringFold(state),
  decide: byKind<MonitoredPatientState, PatientCommandByKind>({
    enrolment: (state, command, ctx) => decideEnrolment(state.patient, command, ctx),
    randomization: (state, command, ctx) => decideRandomization(state.patient, command, ctx),
    infusion: (state, command, ctx) => decideInfusion(state.patient, command, ctx),
    lab: (state, command, ctx) => decideLabResult(state.patient, command, ctx),
    neurography: (state, command, ctx) => decideNeurography(state.patient, command, ctx),
    assessment: (state, command, ctx) => decideClinicalAssessment(state.patient, command, ctx),
    'adverse-event': (state, command, ctx) => decideAdverseEvent(state.patient, command, ctx),
    withdrawal: (state, command, ctx) => decideWithdrawal(state.patient, command, ctx),
    correction: (state, command, ctx) => decideCorrection(state.patient, command, ctx),
    void: (state, command, ctx) => decideVoid(state.patient, command, ctx),
    'code-break': (state, command, ctx) => decideCodeBreak(state.patient, command, ctx),
    'raise-query': decideRaiseQuery,
    'answer-query': decideAnswerQuery,
    'close-query': decideCloseQuery,
    'cancel-query': decideCancelQuery,
    'reopen-query': decideReopenQuery,
    'verify-source-data': decideSourceDataVerification,
  }),
};

/** A site's stream (`site-<id>`): activated once by an administrator. */
export const siteDecider: Decider<SiteState, SiteActivationCommand> = {
  initialState: () => initialSiteState,
  evolve: evolveSite,
  decide: (command, state, ctx) => decideSiteActivation(state, command, ctx),
};

/** The trial's stream (`trial`): freeze, lock and unblinding, each final. */
export interface TrialCommandByKind {
  freeze: TrialCommand;
  lock: TrialCommand;
  unblind: TrialCommand;
}
export type TrialStreamCommand = KindedCommand<TrialCommandByKind>;

export const trialDecider: Decider<TrialState, TrialStreamCommand> = {
  initialState: () => initialTrialState,
  evolve: evolveTrial,
  decide: byKind<TrialState, TrialCommandByKind>({ freeze: decideDatabaseFreeze, lock: decideDatabaseLock, unblind: decideUnblinding }),
};

/** A reader's access stream (`TrialStreams.access`): every recorded read is accepted; its state is how many. */
export const accessDecider: Decider<number, AccessRecorded, EventDraft<'AccessRecorded', AccessRecorded>> = {
  initialState: () => 0,
  evolve: (count, event) => (event.type === 'AccessRecorded' ? count + 1 : count),
  decide: (access, _count, ctx) => accept(draftEvent('AccessRecorded', ctx.now.toISOString(), access)),
};
