import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideNeurography } from '../decide/neurography';
import { decideVoid } from '../decide/void';
import {
  aRandomizedPatient,
  infusionCommand,
  neurographyCommand,
  recordedAssessment,
  recordedInfusion,
  recordedLab,
  recordedNeurography,
  cycleInfusions,
  scheduleDates,
} from '../testing';
import { protocolDeviationsOf, visitWindowDeviations } from './deviations';
import { RecordedEvent } from './forms';
import { scheduleFor } from './schedule';
import { ANTI_MAG_RITUXIMAB_VISIT_SCHEDULE as SCHEDULE } from './visit-schedule';
import { recordedEventsOf, visitStatus } from './visit-status';

const entry = (patient: ReturnType<typeof aRandomizedPatient>, eventId: string): RecordedEvent =>
  recordedEventsOf(patient.state).find((event) => event.eventId === eventId)!;

describe('protocolDeviationsOf', () => {
  it('reads a dose more than 10% off the plan from the infusion', () => {
    // 175 cm, 80 kg: BSA 1.97 m², planned 375 × 1.97 = 738.75 mg; 900 mg is +21.8%
    const patient = aRandomizedPatient();
    const id = patient.record(decideInfusion, infusionCommand({ administeredDoseMg: 900 }));
    expect(protocolDeviationsOf(entry(patient, id))).toEqual([
      {
        code: 'dose-off-by-more-than-10-percent',
        eventIds: [id],
        occurredOn: '2024-02-01',
        detail: 'administered 900 mg, planned 738.75 mg (+21.8%)',
      },
    ]);
  });

  it('reads an infusion out of window and a cold limb', () => {
    const patient = aRandomizedPatient();
    patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-01' }));
    const late = patient.record(decideInfusion, infusionCommand({ occurredAt: '2024-02-12T09:00:00+01:00' }));
    const cold = patient.record(decideNeurography, neurographyCommand({ occurredAt: '2024-02-13', limbTemperatureC: 31.5 }));
    expect(protocolDeviationsOf(entry(patient, late))).toEqual([
      {
        code: 'infusion-out-of-window',
        eventIds: [late],
        occurredOn: '2024-02-12',
        detail: 'infusion 2 of cycle 1 given on day 12, due on day 8 ±2',
      },
    ]);
    expect(protocolDeviationsOf(entry(patient, cold))).toEqual([
      expect.objectContaining({ code: 'limb-temperature-below-32C', eventIds: [cold], occurredOn: '2024-02-13' }),
    ]);
  });

  it('reports what the entry carries now: a correction that fixes the dose removes the deviation', () => {
    const patient = aRandomizedPatient();
    const id = patient.record(decideInfusion, infusionCommand({ administeredDoseMg: 900 }));
    patient.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: id,
      correctedType: 'InfusionGiven',
      reason: 'typed 900 for 740',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 740 },
    });
    expect(protocolDeviationsOf(entry(patient, id))).toEqual([]);
  });

  it('reports nothing for a voided event', () => {
    const patient = aRandomizedPatient();
    const id = patient.record(decideInfusion, infusionCommand({ administeredDoseMg: 900 }));
    patient.record(decideVoid, { occurredAt: '2024-02-02', voidedEventId: id, voidedType: 'InfusionGiven', reason: 'wrong patient' });
    expect(protocolDeviationsOf(entry(patient, id))).toEqual([]);
  });

  it('reports nothing for events without deviations, and ignores codes it does not know', () => {
    expect(protocolDeviationsOf(recordedLab('l', '2024-02-01', 'IGM'))).toEqual([]);
    expect(protocolDeviationsOf({ eventId: 'x', type: 'PatientWithdrawn', occurredAt: '2024-02-01', data: { reason: 'x' } })).toEqual([]);
    expect(protocolDeviationsOf(recordedNeurography('n', '2024-02-01', [{ code: 'made-up' as never, detail: 'x' }]))).toEqual([]);
  });
});

describe('visitWindowDeviations', () => {
  const expected = scheduleFor(scheduleDates({ infusions: cycleInfusions(1, '2024-02-01', '2024-02-12') }), SCHEDULE);

  it('reports one deviation per visit with forms outside its window, naming them', () => {
    // month 3: 2024-05-02 [04-18, 05-16]
    const record = [
      recordedLab('igm', '2024-05-03', 'IGM'),
      recordedNeurography('neuro', '2024-05-20'),
      recordedAssessment('assess', '2024-05-19'),
      recordedInfusion('i-2', '2024-02-12', 1, 2, [{ code: 'infusion-out-of-window', detail: 'x' }]),
    ];
    expect(visitWindowDeviations(visitStatus(expected, record, '2024-06-01'))).toEqual([
      {
        code: 'visit-out-of-window',
        eventIds: ['neuro', 'assess'],
        occurredOn: '2024-05-19',
        detail: 'Month 3: neurography on 2024-05-20, clinical-assessment on 2024-05-19; window 2024-04-18 to 2024-05-16',
        visitId: 'month-3',
      },
    ]);
  });

  it('reports nothing when every recorded form lies in its window, missing forms included', () => {
    const record = [recordedLab('igm', '2024-05-03', 'IGM')];
    expect(visitWindowDeviations(visitStatus(expected, record, '2024-06-01'))).toEqual([]);
  });
});
