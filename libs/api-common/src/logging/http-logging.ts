import type { Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { currentRequestId } from './request-context';

/** The route template when routing matched, so that ids in paths stay out of the log's fields. */
const routeOf = (req: Request): string | undefined => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
};

/** One line per request: info, or error for a 5xx; with its id, route template, status and duration. */
export function httpLoggingMiddleware(logger: Pino) {
  return pinoHttp({
    logger,
    genReqId: (req) => currentRequestId() ?? (req as { id?: string }).id ?? '',
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res, responseTime) =>
      `${req.method} ${routeOf(req as Request) ?? 'unmatched route'} ${res.statusCode} ${Math.round(responseTime)}ms`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Request) ?? 'unmatched route'} ${res.statusCode}`,
    // The route is known only once routing is done, after the request's child logger was bound.
    customSuccessObject: (req, _res, value: object): object => ({ ...value, route: routeOf(req as Request) }),
    customErrorObject: (req, _res, _error, value: object): object => ({ ...value, route: routeOf(req as Request) }),
    serializers: {
      // Id and method only: the raw path carries patient ids, the query filters, the body values.
      req: (req: Request & { id?: string }) => ({ id: req.id, method: req.method }),
      res: (res: Response) => ({ statusCode: res.statusCode }),
    },
    wrapSerializers: false,
  });
}
