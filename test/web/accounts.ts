import type { WebPlatform } from './web-platform';

/**
 * How a test user signs in: with user name and password where the platform has people's sign-in
 * (POST /auth/login), else with the API key the administrator was given for the user.
 */
export type Credential = { kind: 'password'; username: string; password: string } | { kind: 'api-key'; key: string };

export interface Account {
  role: string;
  credential: Credential;
  /** Headers that authenticate a JSON call as this user (a session cookie and CSRF token, or the key). */
  headers(): Promise<Record<string, string>>;
}

export const PASSWORD = 'Correct-Horse-Battery-9';

export async function hasPasswordSignIn(platform: WebPlatform): Promise<boolean> {
  const { status } = await platform.call({}, 'POST', '/auth/login', { username: 'nobody', password: 'nothing-at-all' });
  return status !== 404;
}

export function apiKeyAccount(role: string, key: string): Account {
  return { role, credential: { kind: 'api-key', key }, headers: async () => ({ Authorization: `Bearer ${key}` }) };
}

function passwordAccount(platform: WebPlatform, role: string, username: string): Account {
  let session: Record<string, string> | null = null;
  return {
    role,
    credential: { kind: 'password', username, password: PASSWORD },
    async headers() {
      if (session) return session;
      const { status, body, headers } = await platform.call<{ csrfToken: string }>({}, 'POST', '/auth/login', { username, password: PASSWORD });
      if (status !== 200) throw new Error(`sign-in of ${username} answered ${status}: ${JSON.stringify(body)}`);
      const cookie = (headers.get('set-cookie') ?? '').split(';')[0];
      session = { Cookie: cookie, 'X-CSRF-Token': body.csrfToken };
      return session;
    },
  };
}

/** Creates a user as the administrator and answers how the user signs in. */
export async function createAccount(platform: WebPlatform, admin: Account, role: string, siteIds: string[], passwords: boolean): Promise<Account> {
  const username = `${role.replace(/_/g, '-')}-${siteIds.join('-') || 'all'}`.toLowerCase();
  const request = passwords ? { username, name: `Test ${role}`, role, siteIds } : { name: `Test ${role}`, role, siteIds };
  const created = await platform.call<{ token?: string; activationCode?: string }>(await admin.headers(), 'POST', '/users', request);
  if (created.status !== 201) throw new Error(`creating ${role} answered ${created.status}: ${JSON.stringify(created.body)}`);
  if (!passwords) return apiKeyAccount(role, created.body.token!);
  const activated = await platform.call({}, 'POST', '/auth/activate', { username, activationCode: created.body.activationCode, password: PASSWORD });
  if (activated.status !== 204) throw new Error(`activating ${username} answered ${activated.status}: ${JSON.stringify(activated.body)}`);
  return passwordAccount(platform, role, username);
}
