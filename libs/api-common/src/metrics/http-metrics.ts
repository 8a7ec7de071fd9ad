import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/** The route template (`/patients/:patientId/labs`), never the path itself: ids would explode the label set. */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** Times every request, refusals at the edge included, into trialstream_http_request_duration_seconds. */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };
}
