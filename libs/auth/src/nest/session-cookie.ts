export const SESSION_COOKIE = 'trialstream_session';
export const CSRF_HEADER = 'x-csrf-token';

type RequestLike = { headers: Record<string, string | string[] | undefined>; secure?: boolean };

/** The session token from the Cookie header, if any. */
export function sessionTokenOf(request: RequestLike): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/** Behind a TLS-terminating proxy the request arrives as http; the proxy's header says what the browser used. */
export function isBehindTls(request: RequestLike): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  return request.secure === true || (typeof forwarded === 'string' && forwarded.split(',')[0].trim() === 'https');
}

/** A browser-session cookie (no Expires): the server alone decides when the session ends, on its own clock. */
export function sessionCookieOptions(request: RequestLike) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: isBehindTls(request) };
}

/** Reads and HEAD/OPTIONS change nothing; every other method needs the CSRF token when a cookie authenticates it. */
export const isStateChanging = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
