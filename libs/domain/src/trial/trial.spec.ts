import { EventDraft } from '../envelope';
import { Decision } from '../rule-violation';
import { aPatient, acceptedEvent, anEnrolledPatient, aRandomizedPatient, context, expectViolation, NOW } from '../testing';
import { decideCodeBreak } from './decide-code-break';
import { decideDatabaseFreeze, decideDatabaseLock, decideUnblinding } from './decide-trial';
import { upcastStoredEvent } from '../stored-event-upcaster';
import { isTrialEventType, TRIAL_STREAM_EVENT_TYPES } from './events';
import { initialTrialState, isLocked, isUnblinded, TrialState, trialStateFrom } from './trial-state';

type Step = (state: TrialState) => Decision<EventDraft>;

/** The trial's state after deciding and committing each step in turn. */
const trialAfter = (...steps: Step[]): TrialState => {
  const events: EventDraft[] = [];
  for (const step of steps) events.push(acceptedEvent(step(trialStateFrom(events))));
  return trialStateFrom(events);
};
const freeze: Step = (state) => decideDatabaseFreeze(state, {}, context());
const lock: Step = (state) => decideDatabaseLock(state, { reason: 'last patient out, queries closed' }, context());
const unblind: Step = (state) => decideUnblinding(state, { reason: 'final analysis' }, context());

describe('the trial lifecycle', () => {
  it('starts open and blinded', () => {
    expect(initialTrialState).toEqual({ status: 'open', frozenAt: null, lockedAt: null, unblindedAt: null });
    expect(isLocked(initialTrialState)).toBe(false);
    expect(isUnblinded(initialTrialState)).toBe(false);
  });

  it('locks at the server time of the decision, carrying the reason and nothing else', () => {
    expect(acceptedEvent(lock(initialTrialState))).toEqual({
      type: 'DatabaseLocked',
      schemaVersion: 1,
      occurredAt: NOW.toISOString(),
      data: { reason: 'last patient out, queries closed' },
    });
    expect(trialAfter(lock)).toMatchObject({ status: 'locked', lockedAt: NOW.toISOString() });
  });

  it('freezes an open database, then locks the frozen one', () => {
    expect(trialAfter(freeze)).toMatchObject({ status: 'frozen', frozenAt: NOW.toISOString() });
    expect(trialAfter(freeze, lock)).toMatchObject({ status: 'locked', frozenAt: NOW.toISOString(), lockedAt: NOW.toISOString() });
  });

  it('refuses to freeze twice or to freeze a locked database', () => {
    expectViolation(decideDatabaseFreeze(trialAfter(freeze), {}, context()), 'trial', 'already-frozen');
    expectViolation(decideDatabaseFreeze(trialAfter(lock), {}, context()), 'trial', 'already-locked');
  });

  it('refuses to lock twice', () => {
    expectViolation(decideDatabaseLock(trialAfter(lock), {}, context()), 'trial', 'already-locked');
    expectViolation(decideDatabaseLock(trialAfter(lock, unblind), {}, context()), 'trial', 'already-locked');
  });

  it('refuses to unblind before the database is locked, frozen or not', () => {
    expectViolation(decideUnblinding(initialTrialState, { reason: 'too early' }, context()), 'trial', 'database-not-locked');
    expectViolation(decideUnblinding(trialAfter(freeze), { reason: 'too early' }, context()), 'trial', 'database-not-locked');
  });

  it('unblinds a locked trial once, for a stated reason', () => {
    expect(trialAfter(lock, unblind)).toMatchObject({ status: 'unblinded', unblindedAt: NOW.toISOString() });
    expectViolation(decideUnblinding(trialAfter(lock), {}, context()), 'reason', 'required');
    expectViolation(decideUnblinding(trialAfter(lock, unblind), { reason: 'again' }, context()), 'trial', 'already-unblinded');
  });

  it('keeps its own event types apart from the clinical catalog, with an upcaster of their own', () => {
    expect(TRIAL_STREAM_EVENT_TYPES).toEqual(['ProtocolActivated', 'DatabaseFrozen', 'DatabaseLocked', 'TrialUnblinded']);
    expect(isTrialEventType('CodeBreakPerformed')).toBe(true);
    expect(isTrialEventType('LabResulted')).toBe(false);
    expect(upcastStoredEvent('TrialUnblinded', 1, { reason: 'x' })).toEqual({ schemaVersion: 1, data: { reason: 'x' } });
    expect(() => upcastStoredEvent('TrialUnblinded', 2, {})).toThrow('schema version 2');
  });
});

describe('decideCodeBreak', () => {
  it('records the reason, at the server time, without the arm whatever the command carries', () => {
    const command = { reason: 'anaphylaxis, the treating physician needs the allocation', arm: 'rituximab' };
    const event = acceptedEvent(decideCodeBreak(aRandomizedPatient().state, command, context()));
    expect(event).toEqual({
      type: 'CodeBreakPerformed',
      schemaVersion: 1,
      occurredAt: NOW.toISOString(),
      data: { reason: 'anaphylaxis, the treating physician needs the allocation' },
    });
    expect(JSON.stringify(event)).not.toMatch(/rituximab|placebo|arm/i);
  });

  it('refuses a patient who has no allocation to reveal', () => {
    expectViolation(decideCodeBreak(aPatient().state, { reason: 'x' }, context()), 'patientId', 'patient-not-enrolled');
    expectViolation(decideCodeBreak(anEnrolledPatient().state, { reason: 'x' }, context()), 'patientId', 'not-randomized');
  });

  it('still breaks the code of a withdrawn patient, who may need it for a late adverse event', () => {
    const patient = aRandomizedPatient().withdrawn();
    expect(acceptedEvent(decideCodeBreak(patient.state, { reason: 'late serious adverse event' }, context())).type).toBe(
      'CodeBreakPerformed',
    );
  });

  it('asks for a reason', () => {
    expectViolation(decideCodeBreak(aRandomizedPatient().state, { reason: '  ' }, context()), 'reason', 'required');
  });
});
