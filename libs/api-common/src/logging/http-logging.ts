import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { currentRequestId } from './request-context';

/** The route template when routing matched, so that ids in paths stay out of the log's fields. */
const routeOf = (req: Request): string | undefined => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
};

/**
 * One line per request, once it is answered or its connection closes: info, or error for a 5xx or a
 * failed response; with its id, method, route template, status and duration. Id and method only: the
 * raw path carries patient ids, the query filters, the body values. Written straight to the process's
 * logger, without a child logger per request (lines written while the request is served carry its id
 * through the logger's mixin, `requestLogBindings`).
 */
export function httpLoggingMiddleware(logger: Pino) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = Date.now();
    const answered = (error?: Error) => {
      res.removeListener('close', answered);
      res.removeListener('finish', answered);
      res.removeListener('error', answered);
      const responseTime = Date.now() - started;
      const route = routeOf(req);
      const line = {
        req: { id: currentRequestId() ?? (req as { id?: string }).id ?? '', method: req.method },
        res: { statusCode: res.statusCode },
        responseTime,
        route,
      };
      const head = `${req.method} ${route ?? 'unmatched route'} ${res.statusCode}`;
      if (error || res.statusCode >= 500) {
        logger.error({ ...line, err: error ?? new Error(`failed with status code ${res.statusCode}`) }, head);
      } else {
        logger.info(line, `${head} ${responseTime}ms`);
      }
    };
    res.on('close', answered);
    res.on('finish', answered);
    res.on('error', answered);
    next();
  };
}
