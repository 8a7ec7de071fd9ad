import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;

/**
 * The client's X-Request-Id when it can serve as the events' correlation id (a UUID, or 32 hex digits as
 * proxies generate them, dashed into one); otherwise a new one. Other values are not echoed anywhere.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  if (given && UUID.test(given)) return given.toLowerCase();
  if (given && HEX32.test(given)) {
    const hex = given.toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return randomUUID();
}

/** The id of the request being served, or undefined outside a request (a projection, a CLI). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Gives every request its id (answered in X-Request-Id) for the rest of its handling: log lines and correlation ids. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers['x-request-id']);
  (req as Request & { id?: string }).id = requestId;
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId }, next);
}
