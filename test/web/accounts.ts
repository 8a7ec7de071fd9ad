import type { WebPlatform } from './web-platform';

/** How a test user signs in: a person with user name and password, or a script with an API key. */
export type Credential = { kind: 'password'; username: string; password: string } | { kind: 'api-key'; key: string };

export interface Account {
  role: string;
  credential: Credential;
  /** Headers that authenticate a JSON call as this user (a session cookie and CSRF token, or the key). */
  headers(): Promise<Record<string, string>>;
}

export const PASSWORD = 'Correct-Horse-Battery-9';

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
      const { status, body, headers } = await platform.call<{ csrfToken: string }>({}, 'POST', '/auth/login', {
        username,
        password: PASSWORD,
      });
      if (status !== 200) throw new Error(`sign-in of ${username} answered ${status}: ${JSON.stringify(body)}`);
      const cookie = (headers.get('set-cookie') ?? '').split(';')[0];
      session = { Cookie: cookie, 'X-CSRF-Token': body.csrfToken };
      return session;
    },
  };
}

/** A person account that already exists, activated here with its one-time code (the first administrator's). */
export async function activateAccount(platform: WebPlatform, role: string, username: string, activationCode: string): Promise<Account> {
  const activated = await platform.call({}, 'POST', '/auth/activate', { username, activationCode, password: PASSWORD });
  if (activated.status !== 204) throw new Error(`activating ${username} answered ${activated.status}: ${JSON.stringify(activated.body)}`);
  return passwordAccount(platform, role, username);
}

/** Creates a person as the administrator, activates the account with its code, and answers how it signs in. */
export async function createAccount(platform: WebPlatform, admin: Account, role: string, siteIds: string[]): Promise<Account> {
  const username = `${role.replace(/_/g, '-')}-${siteIds.join('-') || 'all'}`.toLowerCase();
  const created = await platform.call<{ activationCode: string }>(await admin.headers(), 'POST', '/users', {
    username,
    name: `Test ${role}`,
    role,
    siteIds,
  });
  if (created.status !== 201) throw new Error(`creating ${role} answered ${created.status}: ${JSON.stringify(created.body)}`);
  return activateAccount(platform, role, username, created.body.activationCode);
}
