import {
  aPatient,
  acceptedEvent,
  aRandomizedPatient,
  anEnrolledPatient,
  context,
  expectViolation,
  infusionCommand,
  labResultCommand,
  neurographyCommand,
  PatientFixture,
  violationsOf,
} from '../testing';
import { CorrectionCommand } from './commands';
import { decideCorrection } from './correction';
import { decideInfusion } from './infusion';
import { decideLabResult } from './lab-result';
import { decideNeurography } from './neurography';
import { decideVoid } from './void';

const labCorrection = (correctedEventId: string, overrides: Partial<CorrectionCommand> = {}): CorrectionCommand => ({
  occurredAt: '2024-02-01',
  correctedEventId,
  correctedType: 'LabResulted',
  reason: 'transcription error',
  data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
  ...overrides,
});

const withLab = (): { patient: PatientFixture; labId: string } => {
  const patient = anEnrolledPatient();
  const labId = patient.record(decideLabResult, labResultCommand());
  return { patient, labId };
};

describe('decideCorrection', () => {
  it('replaces an entry with the full corrected payload, pointing at the original', () => {
    const { patient, labId } = withLab();
    expect(acceptedEvent(decideCorrection(patient.state, labCorrection(labId), context()))).toEqual({
      type: 'EntryCorrected',
      schemaVersion: 1,
      occurredAt: '2024-02-01',
      data: {
        correctedEventId: labId,
        correctedType: 'LabResulted',
        reason: 'transcription error',
        data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
      },
      amends: { eventId: labId, reason: 'transcription error' },
    });
  });

  it('corrects an entry as the type the record holds when the command names none', () => {
    const { patient, labId } = withLab();
    const { correctedType: _named, ...unnamed } = labCorrection(labId);
    expect(acceptedEvent(decideCorrection(patient.state, unnamed, context())).data).toMatchObject({ correctedType: 'LabResulted' });
    const unknown = decideCorrection(patient.state, { ...unnamed, correctedEventId: 'evt-404' }, context());
    expect(violationsOf(unknown).map(({ field, rule }) => ({ field, rule }))).toEqual([
      { field: 'correctedEventId', rule: 'unknown-event' },
    ]);
  });

  it('validates the corrected data by the rules of its type, naming fields under data', () => {
    const { patient, labId } = withLab();
    const command = labCorrection(labId, { data: { analyte: 'IGM', value: 0, unit: 'BTU', qualifier: '=' } });
    const decision = decideCorrection(patient.state, command, context());
    expectViolation(decision, 'data.unit', 'unit-not-allowed');

    const study = patient.record(decideNeurography, neurographyCommand());
    const nerves = [
      { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32 },
      { nerve: 'sural', side: 'left', motorConductionVelocityMs: 40 },
    ];
    const neuro: CorrectionCommand = {
      occurredAt: '2024-02-01',
      correctedEventId: study,
      correctedType: 'NeurographyRecorded',
      reason: 'r',
      data: { limbTemperatureC: 33, nerves },
    };
    expectViolation(decideCorrection(patient.state, neuro, context()), 'data.nerves[1].motorConductionVelocityMs', 'not-a-motor-nerve');
  });

  it('derives again what the domain derives, ignoring what the client sent', () => {
    const patient = anEnrolledPatient();
    const study = patient.record(decideNeurography, neurographyCommand());
    const command: CorrectionCommand = {
      occurredAt: '2024-02-01',
      correctedEventId: study,
      correctedType: 'NeurographyRecorded',
      reason: 'temperature misread',
      data: { ...neurographyCommand(), limbTemperatureC: 30, deviations: [] },
    };
    const event = acceptedEvent(decideCorrection(patient.state, command, context()));
    expect(event.data.data).toMatchObject({ limbTemperatureC: 30, deviations: [{ code: 'limb-temperature-below-32C' }] });
  });

  it('wants a reason', () => {
    const { patient, labId } = withLab();
    expectViolation(decideCorrection(patient.state, labCorrection(labId, { reason: '  ' }), context()), 'reason', 'required');
  });

  it('refuses a correction that changes nothing, and accepts one that only moves the date', () => {
    const { patient, labId } = withLab();
    const same = labCorrection(labId, { data: { analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' } });
    expectViolation(decideCorrection(patient.state, same, context()), 'data', 'correction-changes-nothing');
    // Sending the correction on another day is no change of the entry ...
    expectViolation(
      decideCorrection(patient.state, { ...same, occurredAt: '2024-02-20' }, context()),
      'data',
      'correction-changes-nothing',
    );
    // ... correcting its date is.
    acceptedEvent(decideCorrection(patient.state, { ...same, correctedOccurredAt: '2024-02-02' }, context()));
  });

  it("keeps the corrected entry's clinical date when the correction is sent later, unless it corrects the date", () => {
    const { patient, labId } = withLab();
    const sentLater = acceptedEvent(decideCorrection(patient.state, labCorrection(labId, { occurredAt: '2024-02-20' }), context()));
    expect(sentLater.occurredAt).toBe(patient.state.entries[labId].occurredAt);
    const redated = acceptedEvent(
      decideCorrection(patient.state, labCorrection(labId, { occurredAt: '2024-02-20', correctedOccurredAt: '2024-01-31' }), context()),
    );
    expect(redated.occurredAt).toBe('2024-01-31');
  });

  it('accepts a correction of a masked analyte that changes nothing: the refusal would confirm a guessed value', () => {
    const patient = anEnrolledPatient();
    const cd19 = patient.record(decideLabResult, labResultCommand({ analyte: 'CD19', value: 0, unit: 'cells/µL', qualifier: '=' }));
    const guess = labCorrection(cd19, { data: { analyte: 'CD19', value: 0, unit: 'cells/µL', qualifier: '=' } });
    acceptedEvent(decideCorrection(patient.state, guess, context()));
  });

  it('compares a second correction with the corrected value', () => {
    const { patient, labId } = withLab();
    patient.record(decideCorrection, labCorrection(labId));
    expectViolation(decideCorrection(patient.state, labCorrection(labId), context()), 'data', 'correction-changes-nothing');
    acceptedEvent(
      decideCorrection(
        patient.state,
        labCorrection(labId, { data: { analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' } }),
        context(),
      ),
    );
  });

  it("refuses an event that is not in this patient's record", () => {
    const { labId } = withLab();
    const other = anEnrolledPatient({ screeningNumber: '008' });
    expectViolation(decideCorrection(other.state, labCorrection(labId), context()), 'correctedEventId', 'unknown-event');
  });

  it('refuses a type that does not match the event', () => {
    const { patient, labId } = withLab();
    expectViolation(
      decideCorrection(patient.state, labCorrection(labId, { correctedType: 'ClinicalAssessed' }), context()),
      'correctedType',
      'type-mismatch',
    );
  });

  it('refuses to correct lifecycle events, corrections and voids', () => {
    const { patient, labId } = withLab();
    const correction = patient.record(decideCorrection, labCorrection(labId));
    const enrolment = patient.events[0].eventId;
    expectViolation(decideCorrection(patient.state, labCorrection(enrolment), context()), 'correctedEventId', 'not-amendable');
    expectViolation(decideCorrection(patient.state, labCorrection(correction), context()), 'correctedEventId', 'not-amendable');
    const other = patient.record(decideLabResult, labResultCommand());
    const voiding = patient.record(decideVoid, {
      occurredAt: '2024-02-03',
      voidedEventId: other,
      voidedType: 'LabResulted',
      reason: 'duplicate',
    });
    expectViolation(decideCorrection(patient.state, labCorrection(voiding), context()), 'correctedEventId', 'not-amendable');
  });

  it('refuses to correct a voided entry', () => {
    const { patient, labId } = withLab();
    patient.record(decideVoid, { occurredAt: '2024-02-03', voidedEventId: labId, voidedType: 'LabResulted', reason: 'duplicate' });
    expectViolation(decideCorrection(patient.state, labCorrection(labId), context()), 'correctedEventId', 'already-voided');
  });

  it('allows corrections after withdrawal, but not a corrected time after it', () => {
    const { patient, labId } = withLab();
    patient.withdrawn({ occurredAt: '2024-03-01' });
    acceptedEvent(decideCorrection(patient.state, labCorrection(labId, { occurredAt: '2024-03-05' }), context()));
    expectViolation(
      decideCorrection(patient.state, labCorrection(labId, { correctedOccurredAt: '2024-03-02' }), context()),
      'correctedOccurredAt',
      'after-withdrawal',
    );
  });

  it('applies the clinical-time rules to the corrected time', () => {
    const { patient, labId } = withLab();
    const redated = (correctedOccurredAt: string) => labCorrection(labId, { correctedOccurredAt });
    expectViolation(decideCorrection(patient.state, redated('2024-01-01'), context()), 'correctedOccurredAt', 'before-enrolment');
    expectViolation(decideCorrection(patient.state, redated('2024-12-01'), context()), 'correctedOccurredAt', 'in-the-future');
    expectViolation(
      decideCorrection(patient.state, labCorrection(labId, { occurredAt: '2024-12-01' }), context()),
      'occurredAt',
      'in-the-future',
    );
  });

  it('wants the corrected data', () => {
    const { patient, labId } = withLab();
    expectViolation(decideCorrection(patient.state, labCorrection(labId, { data: undefined as never }), context()), 'data', 'required');
  });

  it('refuses corrections for a patient not enrolled', () => {
    expectViolation(decideCorrection(aPatient().state, labCorrection('evt-1'), context()), 'patientId', 'patient-not-enrolled');
  });

  describe('of an infusion', () => {
    const infusionCorrection = (correctedEventId: string, occurredAt: string, data: object): CorrectionCommand => ({
      occurredAt: '2024-02-20',
      correctedOccurredAt: occurredAt,
      correctedEventId,
      correctedType: 'InfusionGiven',
      reason: 'dose misread',
      data,
    });

    const withCycle = (dates: string[]) => {
      const patient = aRandomizedPatient();
      const ids = dates.map((occurredAt) => patient.record(decideInfusion, infusionCommand({ occurredAt })));
      return { patient, ids };
    };

    it('keeps its place in the cycle and derives dose and deviations again', () => {
      const { patient, ids } = withCycle(['2024-02-01', '2024-02-08', '2024-02-15']);
      const event = acceptedEvent(
        decideCorrection(
          patient.state,
          infusionCorrection(ids[1], '2024-02-11', { doseLevelMgPerM2: 375, administeredDoseMg: 600 }),
          context(),
        ),
      );
      expect(event.data.data).toEqual({
        cycle: 1,
        infusionInCycle: 2,
        doseLevelMgPerM2: 375,
        heightCm: 175,
        weightKg: 80,
        bsaM2: 1.97,
        plannedDoseMg: 738.75,
        administeredDoseMg: 600,
        deviations: [
          { code: 'infusion-out-of-window', detail: 'infusion 2 of cycle 1 given on day 11, due on day 8 ±2' },
          { code: 'dose-off-by-more-than-10-percent', detail: 'administered 600 mg, planned 738.75 mg (-18.8%)' },
        ],
      });
    });

    it('keeps the corrected infusion between its neighbours', () => {
      const { patient, ids } = withCycle(['2024-02-01', '2024-02-08', '2024-02-15']);
      const data = { doseLevelMgPerM2: 375, administeredDoseMg: 740 };
      expectViolation(
        decideCorrection(patient.state, infusionCorrection(ids[1], '2024-02-01', data), context()),
        'occurredAt',
        'infusion-not-after-previous',
      );
      expectViolation(
        decideCorrection(patient.state, infusionCorrection(ids[1], '2024-02-15', data), context()),
        'occurredAt',
        'infusion-not-before-next',
      );
    });

    it("keeps the dose level of the cycle, unless the infusion is the cycle's only one", () => {
      const { patient, ids } = withCycle(['2024-02-01', '2024-02-08']);
      const data = { doseLevelMgPerM2: 750, administeredDoseMg: 1480 };
      expectViolation(
        decideCorrection(patient.state, infusionCorrection(ids[0], '2024-02-01', data), context()),
        'data.doseLevelMgPerM2',
        'dose-level-changed-within-cycle',
      );
      const single = withCycle(['2024-02-01']);
      expect(
        acceptedEvent(decideCorrection(single.patient.state, infusionCorrection(single.ids[0], '2024-02-01', data), context())).data.data,
      ).toMatchObject({
        doseLevelMgPerM2: 750,
        plannedDoseMg: 1477.5,
      });
    });

    it('makes the next infusion follow the corrected dose level', () => {
      const { patient, ids } = withCycle(['2024-02-01']);
      patient.record(decideCorrection, infusionCorrection(ids[0], '2024-02-01', { doseLevelMgPerM2: 750, administeredDoseMg: 1480 }));
      expectViolation(
        decideInfusion(patient.state, infusionCommand({ occurredAt: '2024-02-08' }), context()),
        'doseLevelMgPerM2',
        'dose-level-changed-within-cycle',
      );
    });
  });
});
