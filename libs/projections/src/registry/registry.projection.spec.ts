import type { EventEnvelope } from '@trialstream/domain';
import { InMemoryReadModel } from '../testing/in-memory-read-model';
import {
  enrolment,
  infusion,
  interleaved,
  labResult,
  patientStream,
  randomization,
  screenFailure,
  siteActivation,
  withdrawal,
} from '../testing/patient-stories';
import { envelopesOf } from '@trialstream/domain/testing';
import { seededRandom, siteStreamId } from '@trialstream/domain';
import { REGISTRY_PATIENTS, REGISTRY_PROJECTION, REGISTRY_SITES } from './registry.projection';

async function registryOf(...batches: EventEnvelope[][]): Promise<InMemoryReadModel> {
  const model = new InMemoryReadModel(REGISTRY_PROJECTION);
  for (const batch of batches) await model.apply(batch);
  return model;
}

const patientRow = (model: InMemoryReadModel, patientId: string) =>
  model.rowsOf(REGISTRY_PATIENTS).find((row) => row.patient_id === patientId);
const siteRow = (model: InMemoryReadModel, siteId: string) => model.rowsOf(REGISTRY_SITES).find((row) => row.site_id === siteId);

describe('the registry projection', () => {
  it('lists an enrolled patient with site, status, enrolment time and the enrolment as last event', async () => {
    const [enrolled] = envelopesOf(patientStream('ZH01', '001'), 'ZH01', [enrolment('ZH01', '001', '2024-01-15')]);
    const model = await registryOf([enrolled]);

    expect(patientRow(model, 'ZH01-001')).toEqual({
      patient_id: 'ZH01-001',
      stream_id: 'patient-ZH01-001',
      site_id: 'ZH01',
      status: 'enrolled',
      enrolled_at: '2024-01-15',
      last_event_type: 'PatientEnrolled',
      last_event_at: enrolled.recordedAt,
      last_stream_version: 1,
      event_counts: { PatientEnrolled: 1 },
      total_events: 1,
    });
  });

  it('counts every recorded event per type and remembers the latest one', async () => {
    const events = envelopesOf(patientStream('ZH01', '002'), 'ZH01', [
      enrolment('ZH01', '002'),
      randomization(),
      infusion(1),
      labResult(),
      infusion(2),
    ]);
    const model = await registryOf(events);

    expect(patientRow(model, 'ZH01-002')).toMatchObject({
      status: 'randomized',
      last_event_type: 'InfusionGiven',
      last_event_at: events[4].recordedAt,
      last_stream_version: 5,
      event_counts: { PatientEnrolled: 1, PatientRandomized: 1, InfusionGiven: 2, LabResulted: 1 },
      total_events: 5,
    });
  });

  it('moves a patient through enrolled, randomized and withdrawn, and keeps a withdrawal final', async () => {
    const stream = patientStream('BE02', '010');
    const [enrolled, randomized, withdrawn, lateRandomization] = envelopesOf(stream, 'BE02', [
      enrolment('BE02', '010'),
      randomization(),
      withdrawal(),
      randomization('K-0002'),
    ]);
    const model = await registryOf([enrolled]);
    expect(patientRow(model, 'BE02-010')?.status).toBe('enrolled');
    await model.apply([randomized]);
    expect(patientRow(model, 'BE02-010')?.status).toBe('randomized');
    await model.apply([withdrawn, lateRandomization]);
    expect(patientRow(model, 'BE02-010')?.status).toBe('withdrawn');
  });

  it('counts a site’s patients by their current status', async () => {
    const model = await registryOf(
      envelopesOf(patientStream('ZH01', '001'), 'ZH01', [enrolment('ZH01', '001')]),
      envelopesOf(patientStream('ZH01', '002'), 'ZH01', [enrolment('ZH01', '002'), randomization()]),
      envelopesOf(patientStream('ZH01', '003'), 'ZH01', [enrolment('ZH01', '003'), randomization(), withdrawal()]),
      envelopesOf(patientStream('ZH01', '004'), 'ZH01', [screenFailure('ZH01', '004')]),
      envelopesOf(patientStream('BE02', '001'), 'BE02', [enrolment('BE02', '001')]),
    );

    expect(siteRow(model, 'ZH01')).toEqual({
      site_id: 'ZH01',
      name: null,
      activated_at: null,
      patients: 4,
      not_enrolled: 0,
      enrolled: 1,
      screen_failed: 1,
      randomized: 1,
      withdrawn: 1,
    });
    expect(siteRow(model, 'BE02')).toMatchObject({ patients: 1, enrolled: 1 });
  });

  it('shows a site’s name from its activation whether the activation comes before or after its patients', async () => {
    const activation = envelopesOf(siteStreamId('ZH01'), 'ZH01', [siteActivation('ZH01', 'Universitätsspital Zürich')]);
    const patients = envelopesOf(patientStream('ZH01', '001'), 'ZH01', [enrolment('ZH01', '001'), randomization()]);

    const activatedFirst = await registryOf(activation, patients);
    const activatedLast = await registryOf(patients, activation);

    expect(siteRow(activatedFirst, 'ZH01')).toMatchObject({ name: 'Universitätsspital Zürich', activated_at: '2024-01-01', randomized: 1 });
    expect(activatedLast.rowsOf(REGISTRY_SITES)).toEqual(activatedFirst.rowsOf(REGISTRY_SITES));
  });

  it('ignores a redelivered event', async () => {
    const events = envelopesOf(patientStream('ZH01', '005'), 'ZH01', [enrolment('ZH01', '005'), infusion()]);
    const once = await registryOf(events);
    const twice = await registryOf(events, events, [events[0]]);
    expect(twice.rowsOf(REGISTRY_PATIENTS)).toEqual(once.rowsOf(REGISTRY_PATIENTS));
    expect(twice.rowsOf(REGISTRY_SITES)).toEqual(once.rowsOf(REGISTRY_SITES));
  });

  it('yields the same rows for every interleaving of patients and sites', async () => {
    const streams = [
      envelopesOf(siteStreamId('ZH01'), 'ZH01', [siteActivation('ZH01')]),
      envelopesOf(siteStreamId('BE02'), 'BE02', [siteActivation('BE02')]),
      ...['001', '002', '003', '004', '005', '006'].map((number, index) =>
        envelopesOf(patientStream(index % 2 ? 'ZH01' : 'BE02', number), index % 2 ? 'ZH01' : 'BE02', [
          enrolment(index % 2 ? 'ZH01' : 'BE02', number),
          ...(index % 3 === 0 ? [] : [randomization(), infusion(1)]),
          ...(index === 4 ? [withdrawal()] : []),
        ]),
      ),
      envelopesOf(patientStream('ZH01', '099'), 'ZH01', [screenFailure('ZH01', '099')]),
    ];
    const reference = await registryOf(streams.flat());

    for (let seed = 1; seed <= 25; seed++) {
      const model = new InMemoryReadModel(REGISTRY_PROJECTION);
      for (const event of interleaved(streams, seededRandom(seed))) await model.apply([event]);
      expect({ seed, patients: model.rowsOf(REGISTRY_PATIENTS) }).toEqual({ seed, patients: reference.rowsOf(REGISTRY_PATIENTS) });
      expect({ seed, sites: model.rowsOf(REGISTRY_SITES) }).toEqual({ seed, sites: reference.rowsOf(REGISTRY_SITES) });
    }
  });

  it('refuses a patient event on a stream that is not a patient’s', async () => {
    const [misplaced] = envelopesOf('site-ZH01', 'ZH01', [infusion()]);
    await expect(registryOf([misplaced])).rejects.toThrow('site-ZH01, which is not a patient stream');
  });
});
