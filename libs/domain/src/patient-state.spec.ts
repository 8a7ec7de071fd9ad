import { patientDecider } from './deciders';
import { given, aPatient, anEnrolledPatient, enrolmentCommand, infusionCommand, labResultCommand } from './testing';
import { decideCorrection } from './decide/correction';
import { decideEnrolment } from './decide/enrolment';
import { decideInfusion } from './decide/infusion';
import { decideLabResult } from './decide/lab-result';
import { decideVoid } from './decide/void';
import { evolvePatient, foldPatient, initialPatientState, PatientFold, patientStateFrom } from './patient-state';
import { UnknownSchemaVersionError } from './upcasting';

describe('evolvePatient', () => {
  it('starts with no patient', () => {
    expect(initialPatientState).toMatchObject({ status: 'not_enrolled', consentDate: null, infusions: [], entries: {} });
  });

  it('takes consent, height and weight from the enrolment', () => {
    const { state } = anEnrolledPatient();
    expect(state).toMatchObject({
      patientId: 'ZH01-007',
      siteId: 'ZH01',
      status: 'enrolled',
      consentDate: '2024-01-10',
      enrolledAt: '2024-01-15',
      heightCm: 175,
      weightKg: 80,
    });
    expect(state.entries['evt-1']).toMatchObject({ type: 'PatientEnrolled', occurredAt: '2024-01-15', voided: false });
  });

  it('marks a screen failure', () => {
    const patient = aPatient();
    patient.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expect(patient.state).toMatchObject({ status: 'screen_failed', consentDate: '2024-01-10', heightCm: null });
  });

  it('follows randomization and withdrawal, remembering the randomization', () => {
    const patient = anEnrolledPatient().randomized();
    expect(patient.state).toMatchObject({ status: 'randomized', randomizedAt: '2024-01-20', kitNumber: 'K-0042' });
    patient.withdrawn();
    expect(patient.state).toMatchObject({ status: 'withdrawn', withdrawnAt: '2024-05-01', randomizedAt: '2024-01-20' });
  });

  it('records infusions with their cycle position', () => {
    const patient = anEnrolledPatient().randomized();
    const id = patient.record(decideInfusion, infusionCommand());
    expect(patient.state.infusions).toEqual([
      { eventId: id, occurredAt: '2024-02-01', cycle: 1, infusionInCycle: 1, doseLevelMgPerM2: 375, voided: false },
    ]);
  });

  it('applies corrections to the entry and remembers the corrected value', () => {
    const patient = anEnrolledPatient().randomized();
    const infusion = patient.record(decideInfusion, infusionCommand());
    const correction = patient.record(decideCorrection, {
      occurredAt: '2024-02-03',
      correctedOccurredAt: '2024-02-02',
      correctedEventId: infusion,
      correctedType: 'InfusionGiven',
      reason: 'date misread',
      data: { doseLevelMgPerM2: 750, administeredDoseMg: 1480 },
    });
    expect(patient.state.infusions[0]).toMatchObject({ occurredAt: '2024-02-02', doseLevelMgPerM2: 750 });
    expect(patient.state.entries[infusion]).toMatchObject({ occurredAt: '2024-02-02', correctedBy: correction });
    expect(patient.state.corrections[infusion]).toMatchObject({ correctionEventId: correction, occurredAt: '2024-02-02' });
    expect(patient.state.entries[correction].type).toBe('EntryCorrected');
  });

  it('marks voided entries and infusions', () => {
    const patient = anEnrolledPatient().randomized();
    const infusion = patient.record(decideInfusion, infusionCommand());
    const lab = patient.record(decideLabResult, labResultCommand());
    patient.record(decideVoid, { occurredAt: '2024-02-03', voidedEventId: infusion, voidedType: 'InfusionGiven', reason: 'x' });
    patient.record(decideVoid, { occurredAt: '2024-02-03', voidedEventId: lab, voidedType: 'LabResulted', reason: 'x' });
    expect(patient.state.voidedEventIds).toEqual([infusion, lab]);
    expect(patient.state.infusions[0].voided).toBe(true);
    expect(patient.state.entries[lab].voided).toBe(true);
  });

  it('remembers events of types it does not know without changing anything else', () => {
    const { state } = anEnrolledPatient();
    const next = evolvePatient(state, { eventId: 'q1', type: 'QueryRaised', data: {}, occurredAt: '2024-02-01' });
    expect(next.entries.q1.type).toBe('QueryRaised');
    expect({ ...next, entries: state.entries }).toEqual(state);
  });

  it('does not alter the state it folds into', () => {
    const { state } = anEnrolledPatient();
    const before = JSON.stringify(state);
    evolvePatient(state, { eventId: 'w', type: 'PatientWithdrawn', data: { reason: 'x' }, occurredAt: '2024-02-01' });
    expect(JSON.stringify(state)).toBe(before);
  });

  it('refuses an event from a future schema version', () => {
    // the read path upcasts once, before any fold: a version this code does not know stops it there
    expect(() =>
      given(patientDecider, { eventId: 'x', type: 'PatientWithdrawn', schemaVersion: 2, data: {}, occurredAt: '2024-01-01' }).state(),
    ).toThrow(UnknownSchemaVersionError);
  });

  it('folds a whole stream the same as event by event', () => {
    const patient = anEnrolledPatient().randomized().withdrawn();
    expect(patientStateFrom(patient.events)).toEqual(patient.state);
  });

  /** Two infusions, a lab result between them, a correction of the first infusion and a void of the lab result. */
  const amendedHistory = () => {
    const patient = anEnrolledPatient().randomized();
    const first = patient.record(decideInfusion, infusionCommand());
    const lab = patient.record(decideLabResult, labResultCommand());
    patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-08' }));
    patient.record(decideCorrection, {
      occurredAt: '2024-02-09',
      correctedOccurredAt: '2024-02-02',
      correctedEventId: first,
      correctedType: 'InfusionGiven',
      reason: 'date and dose misread',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 750 },
    });
    patient.record(decideVoid, { occurredAt: '2024-02-10', voidedEventId: lab, voidedType: 'LabResulted', reason: 'x' });
    return patient;
  };

  it('folds any run of events at once the same as one by one, corrections and voids included', () => {
    const patient = amendedHistory();
    for (let split = 0; split <= patient.events.length; split++) {
      const before = patientStateFrom(patient.events.slice(0, split));
      expect(foldPatient(before, patient.events.slice(split))).toEqual(patient.state);
    }
  });

  it('keeps an open fold in one state, whose entries read before an amendment keep their values', () => {
    const patient = amendedHistory();
    const fold = new PatientFold(initialPatientState);
    for (const event of patient.events) {
      const entries = Object.values(fold.state.entries);
      const asRead = structuredClone(entries);
      fold.add(event);
      expect(entries).toEqual(asRead);
    }
    expect(fold.state).toEqual(patient.state);
    expect(initialPatientState).toMatchObject({ entries: {}, infusions: [], voidedEventIds: [], corrections: {} });
  });

  it('leaves the state a fold starts from as it was, even when later events amend its entries and infusions', () => {
    const patient = amendedHistory();
    for (let split = 0; split <= patient.events.length; split++) {
      const before = patientStateFrom(patient.events.slice(0, split));
      const snapshot = structuredClone(before);
      foldPatient(before, patient.events.slice(split));
      expect(before).toEqual(snapshot);
    }
  });
});
