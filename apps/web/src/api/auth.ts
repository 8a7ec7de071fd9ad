/**
 * The one module that knows how the browser proves who it is. People sign in with a user name and
 * password (a server session in an HttpOnly cookie; state-changing requests repeat the CSRF token);
 * a machine or a developer may sign in with an API key instead (sent as a Bearer token, kept for the
 * tab only). Every other module asks `authHeaders()` and never sees a credential.
 */
export interface SessionUser {
  id: string;
  username?: string;
  name: string;
  role: string;
  siteIds: string[];
}

type Credential = { kind: 'session'; csrfToken: string } | { kind: 'api-key'; key: string };

const API_KEY_STORAGE = 'trialstream.apiKey';
let credential: Credential | null = null;

export class LoginError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authHeaders(method = 'GET'): Record<string, string> {
  if (!credential) return {};
  if (credential.kind === 'api-key') return { Authorization: `Bearer ${credential.key}` };
  return SAFE_METHODS.has(method.toUpperCase()) ? {} : { 'X-CSRF-Token': credential.csrfToken };
}

interface SessionAnswer {
  user: SessionUser;
  csrfToken: string;
}

async function sessionFrom(response: Response): Promise<SessionUser> {
  const body = (await response.json()) as SessionAnswer;
  credential = { kind: 'session', csrfToken: body.csrfToken };
  sessionStorage.removeItem(API_KEY_STORAGE);
  return body.user;
}

const LOGIN_FAILURES: Record<number, string> = {
  401: 'Wrong user name or password.',
  404: 'This server has no password sign-in yet: sign in with an API key.',
  423: 'The account is locked after too many failed attempts. Ask an administrator.',
  429: 'Too many attempts. Wait a moment and try again.',
};

export async function login(username: string, password: string): Promise<SessionUser> {
  const response = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'same-origin',
  });
  if (!response.ok) throw new LoginError(LOGIN_FAILURES[response.status] ?? `Sign-in failed (${response.status}).`, response.status);
  return sessionFrom(response);
}

/** First sign-in with the activation code an administrator handed over. */
export async function activate(username: string, activationCode: string, password: string): Promise<void> {
  const response = await fetch('/auth/activate', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, activationCode, password }),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new LoginError(body.message ?? `Activation failed (${response.status}).`, response.status);
  }
}

export async function loginWithApiKey(key: string): Promise<SessionUser> {
  const response = await fetch('/me', { headers: { Authorization: `Bearer ${key}` } });
  if (!response.ok)
    throw new LoginError(response.status === 401 ? 'This API key is not valid.' : `Sign-in failed (${response.status}).`, response.status);
  credential = { kind: 'api-key', key };
  sessionStorage.setItem(API_KEY_STORAGE, key);
  return (await response.json()) as SessionUser;
}

/** After a reload: the tab's API key, or the session cookie if the server still knows it. */
export async function restoreSession(): Promise<SessionUser | null> {
  const key = sessionStorage.getItem(API_KEY_STORAGE);
  if (key) return loginWithApiKey(key).catch(() => null);
  const response = await fetch('/auth/session', { credentials: 'same-origin' }).catch(() => null);
  return response?.ok ? sessionFrom(response) : null;
}

export async function logout(): Promise<void> {
  if (credential?.kind === 'session') {
    await fetch('/auth/logout', { method: 'POST', headers: authHeaders('POST') }).catch(() => undefined);
  }
  credential = null;
  sessionStorage.removeItem(API_KEY_STORAGE);
}

/**
 * What a re-authenticated request (signature, freeze, lock, unblinding, code-break) adds to its body:
 * the user name and password typed again by a person (21 CFR Part 11: both components for the first
 * signature of a session); nothing for an API key, whose holder has no password to give.
 */
export function reauthentication(username: string, password: string): { username?: string; password?: string } {
  if (credential?.kind === 'api-key') return {};
  return username ? { username, password } : { password };
}

/** Whether the signed-in user signs with a password (a person) rather than holding an API key. */
export const signsWithPassword = (): boolean => credential?.kind === 'session';
