import { InfusionGiven } from '../events/infusion';
import {
  aPatient,
  acceptedEvent,
  aRandomizedPatient,
  anEnrolledPatient,
  anInfusion,
  context,
  enrolmentCommand,
  expectViolation,
  infusionCommand,
  PatientFixture,
} from '../testing';
import { decideEnrolment } from './enrolment';
import { decideInfusion } from './infusion';
import { decideVoid } from './void';

const WEEKLY = ['2024-02-01', '2024-02-08', '2024-02-15', '2024-02-22'];

const infuse = (patient: PatientFixture, overrides: Parameters<typeof infusionCommand>[0] = {}) =>
  acceptedEvent(decideInfusion(patient.state, infusionCommand(overrides), context())).data as InfusionGiven;

const withInfusionsOn = (dates: string[], doseLevelMgPerM2 = 375): PatientFixture => {
  const patient = aRandomizedPatient();
  for (const occurredAt of dates) patient.record(decideInfusion, infusionCommand({ occurredAt, doseLevelMgPerM2 }));
  return patient;
};

describe('decideInfusion', () => {
  it('opens cycle 1 with the dose planned from the enrolment height and weight', () => {
    const event = acceptedEvent(decideInfusion(aRandomizedPatient().state, infusionCommand(), context()));
    expect(event).toEqual({
      type: 'InfusionGiven',
      schemaVersion: 1,
      occurredAt: '2024-02-01',
      data: anInfusion(),
    });
  });

  it('plans the dose from current height and weight when given', () => {
    const data = infuse(aRandomizedPatient(), { heightCm: 180, weightKg: 72, administeredDoseMg: 700 });
    expect(data).toMatchObject({ heightCm: 180, weightKg: 72, bsaM2: 1.9, plannedDoseMg: 712.5, deviations: [] });
  });

  it('numbers four weekly infusions as one cycle, and the fifth opens the next cycle', () => {
    const patient = aRandomizedPatient();
    const positions = WEEKLY.map((occurredAt) => {
      const data = infuse(patient, { occurredAt });
      patient.record(decideInfusion, infusionCommand({ occurredAt }));
      return [data.cycle, data.infusionInCycle, data.deviations];
    });
    expect(positions).toEqual([
      [1, 1, []],
      [1, 2, []],
      [1, 3, []],
      [1, 4, []],
    ]);
    expect(infuse(patient, { occurredAt: '2024-05-01' })).toMatchObject({ cycle: 2, infusionInCycle: 1, deviations: [] });
  });

  it.each([
    ['2 days late', '2024-02-10'],
    ['2 days early', '2024-02-06'],
  ])('accepts an infusion %s without a deviation', (_, occurredAt) => {
    expect(infuse(withInfusionsOn(['2024-02-01']), { occurredAt }).deviations).toEqual([]);
  });

  it('stores an infusion outside the ±2-day window, flagged', () => {
    expect(infuse(withInfusionsOn(['2024-02-01']), { occurredAt: '2024-02-11' }).deviations).toEqual([
      { code: 'infusion-out-of-window', detail: 'infusion 2 of cycle 1 given on day 11, due on day 8 ±2' },
    ]);
    expect(infuse(withInfusionsOn(['2024-02-01', '2024-02-08']), { occurredAt: '2024-02-12' }).deviations).toEqual([
      { code: 'infusion-out-of-window', detail: 'infusion 3 of cycle 1 given on day 12, due on day 15 ±2' },
    ]);
  });

  it("counts the window from the cycle's first infusion, not the previous one", () => {
    // the second came late, the third is still due on day 15
    const patient = withInfusionsOn(['2024-02-01', '2024-02-11']);
    expect(infuse(patient, { occurredAt: '2024-02-15' }).deviations).toEqual([]);
  });

  it('stores a dose more than 10% from plan, flagged, and keeps 10% exactly inside', () => {
    const patient = aRandomizedPatient();
    expect(infuse(patient, { administeredDoseMg: 820 }).deviations).toEqual([
      { code: 'dose-off-by-more-than-10-percent', detail: 'administered 820 mg, planned 738.75 mg (+11%)' },
    ]);
    expect(infuse(patient, { administeredDoseMg: 659 }).deviations).toEqual([
      { code: 'dose-off-by-more-than-10-percent', detail: 'administered 659 mg, planned 738.75 mg (-10.8%)' },
    ]);
    expect(infuse(patient, { administeredDoseMg: 812.625 }).deviations).toEqual([]);
    expect(infuse(patient, { administeredDoseMg: 664.875 }).deviations).toEqual([]);
  });

  it('flags both deviations when both happen', () => {
    const codes = infuse(withInfusionsOn(['2024-02-01']), { occurredAt: '2024-02-20', administeredDoseMg: 400 }).deviations.map(
      (d) => d.code,
    );
    expect(codes).toEqual(['infusion-out-of-window', 'dose-off-by-more-than-10-percent']);
  });

  it("accepts only the protocol's dose levels", () => {
    expect(infuse(aRandomizedPatient(), { doseLevelMgPerM2: 750, administeredDoseMg: 1480 })).toMatchObject({
      doseLevelMgPerM2: 750,
      plannedDoseMg: 1477.5,
      deviations: [],
    });
    expectViolation(
      decideInfusion(aRandomizedPatient().state, infusionCommand({ doseLevelMgPerM2: 500 }), context()),
      'doseLevelMgPerM2',
      'dose-level-not-in-protocol',
    );
  });

  it('keeps the dose level constant within a cycle, and lets a new cycle change it', () => {
    const midCycle = withInfusionsOn(['2024-02-01']);
    expectViolation(
      decideInfusion(midCycle.state, infusionCommand({ occurredAt: '2024-02-08', doseLevelMgPerM2: 750 }), context()),
      'doseLevelMgPerM2',
      'dose-level-changed-within-cycle',
    );
    const afterCycle = withInfusionsOn(WEEKLY);
    expect(infuse(afterCycle, { occurredAt: '2024-05-01', doseLevelMgPerM2: 750, administeredDoseMg: 1480 })).toMatchObject({
      cycle: 2,
      doseLevelMgPerM2: 750,
    });
  });

  it('refuses an infusion on or before the previous one', () => {
    const patient = withInfusionsOn(['2024-02-01']);
    expectViolation(
      decideInfusion(patient.state, infusionCommand({ occurredAt: '2024-02-01' }), context()),
      'occurredAt',
      'infusion-not-after-previous',
    );
    expectViolation(
      decideInfusion(patient.state, infusionCommand({ occurredAt: '2024-01-31' }), context()),
      'occurredAt',
      'infusion-not-after-previous',
    );
  });

  it("gives a voided infusion's place in the cycle to the next one", () => {
    const patient = withInfusionsOn(['2024-02-01']);
    const mistaken = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-08' }));
    patient.record(decideVoid, { occurredAt: '2024-02-09', voidedEventId: mistaken, voidedType: 'InfusionGiven', reason: 'wrong patient' });
    expect(infuse(patient, { occurredAt: '2024-02-09' })).toMatchObject({ cycle: 1, infusionInCycle: 2, deviations: [] });
  });

  it('refuses an infusion before randomization', () => {
    expectViolation(decideInfusion(anEnrolledPatient().state, infusionCommand(), context()), 'patientId', 'not-randomized');
    expectViolation(
      decideInfusion(aRandomizedPatient().state, infusionCommand({ occurredAt: '2024-01-19' }), context()),
      'occurredAt',
      'before-randomization',
    );
  });

  it('refuses an infusion for a patient not enrolled or screen-failed', () => {
    expectViolation(decideInfusion(aPatient().state, infusionCommand(), context()), 'patientId', 'patient-not-enrolled');
    const failed = aPatient();
    failed.record(decideEnrolment, enrolmentCommand({ eligibility: { met: false, criteria: [{ code: 'AGE', met: false }] } }));
    expectViolation(decideInfusion(failed.state, infusionCommand(), context()), 'patientId', 'screen-failed');
  });

  it('accepts a late entry dated before withdrawal and refuses one dated after', () => {
    const patient = aRandomizedPatient().withdrawn({ occurredAt: '2024-03-01' });
    expect(infuse(patient, { occurredAt: '2024-02-01' }).cycle).toBe(1);
    expectViolation(
      decideInfusion(patient.state, infusionCommand({ occurredAt: '2024-03-02' }), context()),
      'occurredAt',
      'after-withdrawal',
    );
  });

  it('refuses an infusion in the future beyond the clock skew', () => {
    const patient = aRandomizedPatient();
    expect(infuse(patient, { occurredAt: '2024-06-01T12:04:00Z' }).cycle).toBe(1);
    expectViolation(
      decideInfusion(patient.state, infusionCommand({ occurredAt: '2024-06-01T12:06:00Z' }), context()),
      'occurredAt',
      'in-the-future',
    );
  });

  it('checks the administered dose and current measurements without falling back on invalid ones', () => {
    const state = aRandomizedPatient().state;
    expectViolation(decideInfusion(state, infusionCommand({ administeredDoseMg: 0 }), context()), 'administeredDoseMg', 'out-of-range');
    expectViolation(
      decideInfusion(state, { ...infusionCommand(), administeredDoseMg: undefined } as never, context()),
      'administeredDoseMg',
      'required',
    );
    expectViolation(decideInfusion(state, infusionCommand({ heightCm: 1.75 }), context()), 'heightCm', 'out-of-range');
    expectViolation(decideInfusion(state, { ...infusionCommand(), weightKg: '80' } as never, context()), 'weightKg', 'must-be-number');
    expectViolation(
      decideInfusion(state, { ...infusionCommand(), doseLevelMgPerM2: '375' } as never, context()),
      'doseLevelMgPerM2',
      'must-be-number',
    );
  });

  it("follows another protocol's definition", () => {
    const protocol = { ...context().protocol, doseLevelsMgPerM2: [500], infusionsPerCycle: 2 };
    const patient = aRandomizedPatient();
    patient.record(decideInfusion, infusionCommand({ doseLevelMgPerM2: 500, administeredDoseMg: 985 }), context({ protocol }));
    patient.record(
      decideInfusion,
      infusionCommand({ occurredAt: '2024-02-08', doseLevelMgPerM2: 500, administeredDoseMg: 985 }),
      context({ protocol }),
    );
    const third = acceptedEvent(
      decideInfusion(
        patient.state,
        infusionCommand({ occurredAt: '2024-03-01', doseLevelMgPerM2: 500, administeredDoseMg: 985 }),
        context({ protocol }),
      ),
    );
    expect(third.data).toMatchObject({ cycle: 2, infusionInCycle: 1 });
  });
});
