import { NerveStudy } from '../events/neurography';
import { aPatient, acceptedEvent, anEnrolledPatient, context, expectViolation, neurographyCommand, violationsOf } from '../testing';
import { decideNeurography } from './neurography';

const state = () => anEnrolledPatient().state;
const withNerves = (...nerves: Partial<NerveStudy>[]) => neurographyCommand({ nerves: nerves as NerveStudy[] });

describe('decideNeurography', () => {
  it('stores the study per nerve and side, without deviations at a warm limb', () => {
    const event = acceptedEvent(decideNeurography(state(), neurographyCommand(), context()));
    expect(event).toEqual({
      type: 'NeurographyRecorded',
      schemaVersion: 1,
      occurredAt: '2024-02-01',
      data: {
        limbTemperatureC: 33,
        nerves: [
          {
            nerve: 'ulnar',
            side: 'left',
            motorConductionVelocityMs: 32,
            distalMotorLatencyMs: 7.5,
            cmapAmplitudeMv: 6.1,
            distalDistanceMm: 70,
          },
          { nerve: 'sural', side: 'right', snapAmplitudeUv: 0 },
        ],
        deviations: [],
      },
    });
  });

  it('stores a study of a limb below 32 °C, flagged', () => {
    const event = acceptedEvent(decideNeurography(state(), neurographyCommand({ limbTemperatureC: 30.5 }), context()));
    expect(event.data.deviations).toEqual([
      { code: 'limb-temperature-below-32C', detail: 'limb temperature 30.5 °C is below 32 °C; conduction velocities read low' },
    ]);
    expect(acceptedEvent(decideNeurography(state(), neurographyCommand({ limbTemperatureC: 32 }), context())).data.deviations).toEqual([]);
  });

  it('ignores deviations sent by the client: the domain derives them', () => {
    const command = { ...neurographyCommand(), deviations: [{ code: 'limb-temperature-below-32C', detail: 'x' }] };
    expect(acceptedEvent(decideNeurography(state(), command, context())).data.deviations).toEqual([]);
  });

  it('refuses an implausible limb temperature', () => {
    expectViolation(
      decideNeurography(state(), neurographyCommand({ limbTemperatureC: 45 }), context()),
      'limbTemperatureC',
      'out-of-range',
    );
  });

  it.each(['median', 'ulnar', 'fibular', 'tibial'] as const)('takes motor measures on the %s nerve', (nerve) => {
    acceptedEvent(
      decideNeurography(
        state(),
        withNerves({
          nerve,
          side: 'left',
          motorConductionVelocityMs: 40,
          distalMotorLatencyMs: 5,
          cmapAmplitudeMv: 0,
          fWaveLatencyMs: 35,
          distalDistanceMm: 80,
        }),
        context(),
      ),
    );
  });

  it.each(['sural', 'radial'] as const)('refuses motor measures on the sensory %s nerve', (nerve) => {
    const decision = decideNeurography(
      state(),
      withNerves({ nerve, side: 'left', motorConductionVelocityMs: 40, distalDistanceMm: 80, distalMotorLatencyMs: 4 }),
      context(),
    );
    expectViolation(decision, 'nerves[0].motorConductionVelocityMs', 'not-a-motor-nerve');
    expectViolation(decision, 'nerves[0].distalMotorLatencyMs', 'not-a-motor-nerve');
    expectViolation(decision, 'nerves[0].distalDistanceMm', 'not-a-motor-nerve');
  });

  it.each(['sural', 'radial', 'median', 'ulnar'] as const)('takes a SNAP on the %s nerve', (nerve) => {
    acceptedEvent(decideNeurography(state(), withNerves({ nerve, side: 'right', snapAmplitudeUv: 2.5 }), context()));
  });

  it.each(['fibular', 'tibial'] as const)('refuses a SNAP on the %s nerve, studied as motor only', (nerve) => {
    expectViolation(
      decideNeurography(state(), withNerves({ nerve, side: 'right', snapAmplitudeUv: 2.5 }), context()),
      'nerves[0].snapAmplitudeUv',
      'not-a-sensory-nerve',
    );
  });

  it('wants at least one measure per nerve and at least one nerve', () => {
    expectViolation(decideNeurography(state(), withNerves({ nerve: 'ulnar', side: 'left' }), context()), 'nerves[0]', 'no-measure');
    expectViolation(
      decideNeurography(state(), withNerves({ nerve: 'ulnar', side: 'left', distalDistanceMm: 70 }), context()),
      'nerves[0]',
      'no-measure',
    );
    expectViolation(decideNeurography(state(), neurographyCommand({ nerves: [] }), context()), 'nerves', 'required');
  });

  it('refuses the same nerve and side twice, and accepts both sides', () => {
    const ulnar = (side: 'left' | 'right') => ({ nerve: 'ulnar' as const, side, motorConductionVelocityMs: 40 });
    acceptedEvent(decideNeurography(state(), withNerves(ulnar('left'), ulnar('right')), context()));
    expectViolation(
      decideNeurography(state(), withNerves(ulnar('left'), ulnar('right'), ulnar('left')), context()),
      'nerves[2]',
      'duplicate-nerve',
    );
  });

  it('wants a distal distance only with its distal motor latency', () => {
    expectViolation(
      decideNeurography(
        state(),
        withNerves({ nerve: 'median', side: 'left', motorConductionVelocityMs: 40, distalDistanceMm: 70 }),
        context(),
      ),
      'nerves[0].distalDistanceMm',
      'requires-distal-motor-latency',
    );
  });

  it.each([
    ['motorConductionVelocityMs', 0],
    ['motorConductionVelocityMs', 120],
    ['distalMotorLatencyMs', 0],
    ['distalMotorLatencyMs', 60],
    ['cmapAmplitudeMv', -1],
    ['fWaveLatencyMs', 200],
    ['distalDistanceMm', 10],
  ])('refuses an implausible %s of %p', (measure, value) => {
    const nerve = { nerve: 'median', side: 'left', motorConductionVelocityMs: 40, distalMotorLatencyMs: 5, [measure]: value };
    expectViolation(
      decideNeurography(state(), withNerves(nerve as Partial<NerveStudy>), context()),
      `nerves[0].${measure}`,
      'out-of-range',
    );
  });

  it('refuses an implausible SNAP amplitude', () => {
    expectViolation(
      decideNeurography(state(), withNerves({ nerve: 'sural', side: 'left', snapAmplitudeUv: 250 }), context()),
      'nerves[0].snapAmplitudeUv',
      'out-of-range',
    );
  });

  it('names each malformed nerve by its position', () => {
    const violations = violationsOf(
      decideNeurography(
        state(),
        withNerves(
          { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 40 },
          { nerve: 'peroneal' as never, side: 'up' as never, snapAmplitudeUv: 1 },
        ),
        context(),
      ),
    );
    expect(violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['nerves[1].nerve:not-one-of', 'nerves[1].side:not-one-of']);
    expectViolation(
      decideNeurography(state(), neurographyCommand({ nerves: ['ulnar' as never] }), context()),
      'nerves[0]',
      'must-be-object',
    );
  });

  it('refuses a study for a patient not enrolled', () => {
    expectViolation(decideNeurography(aPatient().state, neurographyCommand(), context()), 'patientId', 'patient-not-enrolled');
  });

  it('refuses a study after withdrawal', () => {
    const withdrawn = anEnrolledPatient().withdrawn({ occurredAt: '2024-01-31' });
    expectViolation(decideNeurography(withdrawn.state, neurographyCommand(), context()), 'occurredAt', 'after-withdrawal');
  });
});
