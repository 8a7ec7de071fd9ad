import { randomUUID } from 'node:crypto';
import { Account, activateAccount, apiKeyAccount, createAccount } from './accounts';
import type { WebPlatform } from './web-platform';

/**
 * Distinctive values a blinded reader must never receive: a B-cell count no real lab reports, and the
 * allocation list's arm labels. A page or response that carries one of them has leaked.
 */
export const SECRET_CD19 = 987.654;
export const SECRET_ARMS = ['ZEBRA-ACTIVE-ARM', 'OKAPI-PLACEBO-ARM'];

const submission = () => ({ submissionId: randomUUID() });

export interface SeededTrial {
  accounts: Record<string, Account>;
  patientId: string;
  /** The patient's first IgM result (12.5 g/L), for queries and corrections. */
  igmEventId: string;
}

async function ok<T>(promise: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await promise;
  if (status >= 300) throw new Error(`${what} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Two sites, one user of every role, an allocation list with the secret arms, one patient with data (CD19 included). */
export async function seedTrial(platform: WebPlatform): Promise<SeededTrial> {
  // Seeding goes through the first administrator's API key (a script); in the browser the person `admin` signs in.
  const administratorKey = apiKeyAccount('administrator', platform.adminKey);
  const admin = await administratorKey.headers();
  if (!platform.adminActivationCode)
    throw new Error('the platform wrote no activation code for the first administrator (admin-activation-code)');
  const administrator = await activateAccount(platform, 'administrator', 'admin', platform.adminActivationCode);
  const call = platform.call;
  for (const [siteId, name] of [
    ['S01', 'Hôpital de la Salpêtrière'],
    ['S02', 'Kantonsspital Aarau'],
  ]) {
    await ok(call(admin, 'POST', '/sites', { ...submission(), siteId, name, country: 'FR', occurredAt: '2026-01-10' }), `site ${siteId}`);
  }
  const accounts: Record<string, Account> = { administrator };
  const users: Array<[string, string[]]> = [
    ['site_coordinator', ['S01']],
    ['monitor', ['S01', 'S02']],
    ['blinded_statistician', []],
    ['unblinded_statistician', []],
    ['safety_board', []],
    ['auditor', []],
    ['investigator', ['S01']],
  ];
  for (const [role, siteIds] of users) accounts[role] = await createAccount(platform, administratorKey, role, siteIds);
  await ok(
    call(admin, 'POST', '/allocation/generate', {
      seed: 'web-test',
      strata: ['S01', 'S02'],
      blockSizes: [2],
      kitsPerStratum: 8,
      arms: SECRET_ARMS,
    }),
    'allocation list',
  );

  const coordinator = await accounts.site_coordinator.headers();
  const enrolled = await ok(
    call<{ patientId: string }>(coordinator, 'POST', '/sites/S01/patients', {
      ...submission(),
      occurredAt: '2026-03-02',
      screeningNumber: '001',
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
    }),
    'enrolment',
  );
  const patientId = enrolled.patientId;
  const post = (route: string, body: object) =>
    ok(
      call<{ events: Array<{ eventId: string }> }>(coordinator, 'POST', `/patients/${patientId}/${route}`, { ...submission(), ...body }),
      route,
    );
  await post('randomization', { occurredAt: '2026-03-05' });
  const igm = await post('labs', { occurredAt: '2026-03-04', analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' });
  await post('labs', { occurredAt: '2026-03-04', analyte: 'ANTI_MAG', value: 64000, unit: 'BTU', qualifier: '=' });
  await post('labs', { occurredAt: '2026-03-04', analyte: 'CD19', value: SECRET_CD19, unit: 'cells/µL', qualifier: '=' });
  await post('infusions', { occurredAt: '2026-03-09', doseLevelMgPerM2: 375, administeredDoseMg: 705 });
  await post('assessments', {
    occurredAt: '2026-03-09',
    assessorId: 'assessor-7',
    incatArms: 1,
    incatLegs: 2,
    sensorySumScore: 9,
    mrcSumScore: 54,
  });
  await post('neurography', {
    occurredAt: '2026-03-09',
    limbTemperatureC: 33,
    nerves: [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32, distalMotorLatencyMs: 7.5, cmapAmplitudeMv: 6.1 }],
  });
  await post('labs', { occurredAt: '2026-04-20', analyte: 'IGM', value: 8.1, unit: 'g/L', qualifier: '=' });
  await post('labs', { occurredAt: '2026-04-20', analyte: 'ANTI_MAG', value: 32000, unit: 'BTU', qualifier: '=' });
  return { accounts, patientId, igmEventId: igm.events[0].eventId };
}
