import { authHeaders } from './auth';

/** The platform's one error shape. */
export interface ErrorDetail {
  field: string;
  rule: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details: ErrorDetail[],
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(method) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const parsed = (await response.json().catch(() => ({}))) as Partial<{ error: string; message: string; details: ErrorDetail[] }>;
    if (response.status === 401) window.dispatchEvent(new Event('trialstream:signed-out'));
    throw new ApiError(
      response.status,
      parsed.error ?? 'error',
      parsed.message ?? `${method} ${path} answered ${response.status}`,
      parsed.details ?? [],
    );
  }
  return response;
}

export async function get<T>(path: string, query?: Query): Promise<T> {
  return (await send('GET', withQuery(path, query))).json() as Promise<T>;
}

/** For routes other features are still bringing: a 404 means "not on this server yet", not an error. */
export async function getIfAvailable<T>(path: string, query?: Query): Promise<T | null> {
  try {
    return await get<T>(path, query);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await send('POST', path, body);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A file the browser saves (CSV, XML, NDJSON), fetched with the same credentials as every call. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await send('GET', path);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const submissionId = (): string => crypto.randomUUID();
