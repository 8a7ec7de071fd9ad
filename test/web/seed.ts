import { assessmentBody, enrolmentBody, infusionBody, labBody, neurographyBody, siteBody, submission } from '../ingest/site-api';
import { Account, activateAccount, apiKeyAccount, createAccount } from './accounts';
import type { WebPlatform } from './web-platform';

/**
 * Distinctive values a blinded reader must never receive: a B-cell count no real lab reports, and the
 * allocation list's arm labels. A page or response that carries one of them has leaked.
 */
export const SECRET_CD19 = 987.654;
export const SECRET_ARMS = ['ZEBRA-ACTIVE-ARM', 'OKAPI-PLACEBO-ARM'];

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
    await ok(call(admin, 'POST', '/sites', siteBody(siteId, { name, country: 'FR' })), `site ${siteId}`);
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
  const enrolled = await ok(call<{ patientId: string }>(coordinator, 'POST', '/sites/S01/patients', enrolmentBody('001')), 'enrolment');
  const patientId = enrolled.patientId;
  const post = (route: string, body: object) =>
    ok(call<{ events: Array<{ eventId: string }> }>(coordinator, 'POST', `/patients/${patientId}/${route}`, body), route);
  // the server takes the kit from the allocation list: no kit number in the body
  await post('randomization', { ...submission(), occurredAt: '2026-03-05' });
  const igm = await post('labs', labBody({ occurredAt: '2026-03-04', value: 12.5 }));
  await post('labs', labBody({ occurredAt: '2026-03-04', analyte: 'ANTI_MAG', value: 64000, unit: 'BTU' }));
  await post('labs', labBody({ occurredAt: '2026-03-04', analyte: 'CD19', value: SECRET_CD19, unit: 'cells/µL' }));
  await post('infusions', infusionBody());
  await post('assessments', assessmentBody({ tenMetreWalkSeconds: undefined, globalStatus: undefined }));
  await post(
    'neurography',
    neurographyBody({
      nerves: [{ nerve: 'ulnar', side: 'left', motorConductionVelocityMs: 32, distalMotorLatencyMs: 7.5, cmapAmplitudeMv: 6.1 }],
    }),
  );
  await post('labs', labBody({ occurredAt: '2026-04-20', value: 8.1 }));
  await post('labs', labBody({ occurredAt: '2026-04-20', analyte: 'ANTI_MAG', value: 32000, unit: 'BTU' }));
  return { accounts, patientId, igmEventId: igm.events[0].eventId };
}
