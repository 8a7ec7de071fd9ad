import { accessDecider, patientDecider, trialDecider } from './deciders';
import { decideInfusion } from './decide/infusion';
import { TRIAL_RULE } from './trial/rules';
import { aPatient, context, enrolmentCommand, infusionCommand, NOW, randomizationCommand, withdrawalCommand, given } from './testing';

describe('one decider per stream kind', () => {
  const randomized = () => aPatient().enrolled().randomized().events;

  it('patient: given an enrolment and a randomization, an infusion is decided against that patient', () => {
    given(patientDecider, randomized()).when({ kind: 'infusion', command: infusionCommand() }).thenTypes('InfusionGiven');
  });

  it('patient: nothing but an enrolment is decided before one', () => {
    given(patientDecider).when({ kind: 'enrolment', command: enrolmentCommand() }).thenTypes('PatientEnrolled');
    given(patientDecider)
      .when({ kind: 'withdrawal', command: withdrawalCommand() })
      .thenViolates({ field: 'patientId', rule: 'patient-not-enrolled' });
  });

  it('patient: given a withdrawal, the patient is withdrawn and randomization is refused', () => {
    const withdrawn = given(patientDecider, aPatient().enrolled().withdrawn().events);
    expect(withdrawn.state().patient.status).toBe('withdrawn');
    expect(withdrawn.when({ kind: 'randomization', command: randomizationCommand() }).decision().ok).toBe(false);
  });

  it('patient: the monitor raises a query on an entry of the stream, not on one it does not hold', () => {
    const patient = aPatient().enrolled().randomized();
    const infusionId = patient.record(decideInfusion, infusionCommand());
    const raise = (targetEventId: string) => ({
      kind: 'raise-query' as const,
      command: { queryId: 'q-1', targetEventId, field: 'administeredDoseMg', text: 'check' },
    });
    given(patientDecider, patient.events).when(raise(infusionId)).thenTypes('QueryRaised');
    expect(given(patientDecider, patient.events).when(raise('evt-404')).decision().ok).toBe(false);
  });

  it('trial: given a lock, a freeze is refused and unblinding accepted', () => {
    const locked = given(trialDecider, { type: 'DatabaseLocked', data: {}, occurredAt: NOW.toISOString() });
    locked.when({ kind: 'freeze', command: {} }).thenViolates({ field: 'trial', rule: TRIAL_RULE.alreadyLocked });
    locked.when({ kind: 'unblind', command: { reason: 'final analysis' } }).thenTypes('TrialUnblinded');
  });

  it('access: every recorded read is an AccessRecorded event at the catalog version', () => {
    given(accessDecider)
      .when({ action: 'export', resource: 'export/odm' }, context())
      .then({
        type: 'AccessRecorded',
        schemaVersion: 1,
        occurredAt: NOW.toISOString(),
        data: { action: 'export', resource: 'export/odm' },
      });
  });
});
