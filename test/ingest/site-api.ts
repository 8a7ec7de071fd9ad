import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/app';

/** Request bodies a site would send, valid by default; override what a test is about. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export const submission = () => ({ submissionId: randomUUID() });

export const siteBody = (siteId: string, overrides: object = {}) => ({
  ...submission(),
  siteId,
  name: `Site ${siteId}`,
  country: 'CH',
  occurredAt: '2026-01-10',
  ...overrides,
});

export const enrolmentBody = (screeningNumber: string, overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-02',
  screeningNumber,
  consentDate: '2026-03-01',
  eligibility: {
    met: true,
    criteria: [
      { code: 'ANTI_MAG_ABOVE_1000_BTU', met: true },
      { code: 'SENSORY_SUM_AT_LEAST_4', met: true },
    ],
  },
  heightCm: 172,
  weightKg: 74,
  sex: 'female',
  birthYear: 1956,
  ...overrides,
});

export const randomizationBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-05',
  kitNumber: 'K-0042',
  ...overrides,
});

/** 375 mg/m² for 172 cm and 74 kg: BSA = sqrt(172 × 74 / 3600) = 1.88 m², planned 705 mg. */
export const infusionBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-09',
  doseLevelMgPerM2: 375,
  administeredDoseMg: 705,
  ...overrides,
});

export const labBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-09',
  analyte: 'IGM',
  value: 12.5,
  unit: 'g/L',
  qualifier: '=',
  ...overrides,
});

export const neurographyBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-09',
  limbTemperatureC: 33,
  nerves: [
    { nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32, distalMotorLatencyMs: 7.5, cmapAmplitudeMv: 6.1, distalDistanceMm: 70 },
    { nerve: 'sural', side: 'right', snapAmplitudeUv: 2 },
  ],
  ...overrides,
});

export const assessmentBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-09',
  assessorId: 'assessor-7',
  incatArms: 1,
  incatLegs: 2,
  sensorySumScore: 9,
  mrcSumScore: 54,
  tenMetreWalkSeconds: 9.5,
  globalStatus: 'stable',
  ...overrides,
});

export const adverseEventBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-03-10',
  term: 'Infusion-related reaction',
  serious: false,
  grade: 2,
  relatedness: 'probable',
  ...overrides,
});

export const withdrawalBody = (overrides: object = {}) => ({
  ...submission(),
  occurredAt: '2026-05-01',
  reason: 'Consent withdrawn',
  ...overrides,
});

/** A trial with activated sites and one coordinator per site. */
export async function trialWithSites(app: TestApp, siteIds: string[]) {
  const admin = await app.userToken('administrator');
  for (const siteId of siteIds) {
    await app.http().post('/sites').set('Authorization', admin).send(siteBody(siteId)).expect(201);
  }
  const coordinators: Record<string, string> = {};
  for (const siteId of siteIds) coordinators[siteId] = await app.userToken('site_coordinator', [siteId]);
  return { admin, coordinators };
}

/** Enrols and randomizes a patient; returns its subject id. */
export async function randomizedPatient(
  app: Pick<TestApp, 'http'>,
  token: string,
  siteId: string,
  screeningNumber: string,
): Promise<string> {
  const enrolled = await app
    .http()
    .post(`/sites/${siteId}/patients`)
    .set('Authorization', token)
    .send(enrolmentBody(screeningNumber))
    .expect(201);
  const patientId = enrolled.body.patientId as string;
  await app.http().post(`/patients/${patientId}/randomization`).set('Authorization', token).send(randomizationBody()).expect(201);
  return patientId;
}

export async function historyLength(app: Pick<TestApp, 'http'>, token: string, patientId: string): Promise<number> {
  const res = await app.http().get(`/patients/${patientId}/events`).set('Authorization', token).expect(200);
  return (res.body as unknown[]).length;
}
