import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, ErrorBody, ErrorDetail } from './api-error';
import { isDatabaseUnavailable, isDataException, RETRY_AFTER_SECONDS } from './outage';

const isHealthReport = (exception: HttpException): boolean => {
  const response = exception.getResponse() as { status?: unknown; info?: unknown; error?: unknown };
  return (
    typeof response === 'object' && response.status === 'error' && typeof response.info === 'object' && typeof response.error === 'object'
  );
};

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'rule_violation',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/** What a framework error names when it names nothing itself: a client always learns the field and the rule. */
const DEFAULT_DETAIL: Record<number, ErrorDetail> = {
  400: { field: 'request', rule: 'well-formed' },
  401: { field: 'authorization', rule: 'valid-credentials' },
  403: { field: 'role', rule: 'permission' },
  404: { field: 'path', rule: 'known-route' },
  405: { field: 'method', rule: 'allowed-method' },
  413: { field: 'body', rule: 'max-size' },
  415: { field: 'content-type', rule: 'application-json-utf-8' },
  429: { field: 'request', rule: 'rate-limit' },
};

/** An HttpException raised with a body already in the one shape (the auth library's AuthError). */
function isErrorBody(response: unknown): response is ErrorBody {
  const body = response as Partial<ErrorBody> | null;
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.error === 'string' &&
    typeof body.message === 'string' &&
    Array.isArray(body.details)
  );
}

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (isErrorBody(response)) return response;
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
  // Guards pass their own `{ field, rule }` list in the exception's response.
  const given = typeof response === 'object' ? (response as { details?: unknown }).details : undefined;
  const details =
    Array.isArray(given) && given.length > 0
      ? (given as ErrorDetail[])
      : [DEFAULT_DETAIL[status] ?? { field: 'request', rule: 'valid-request' }];
  return { error: ERROR_CODES[status] ?? 'error', message, details };
}

function clientErrorStatus(exception: unknown): number | null {
  const { status, expose } = (exception ?? {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/**
 * Maps every error to `{ error, message, details }`. Unexpected errors are logged with their stack
 * server-side and answered with a generic 500: their text could carry data a caller must not see.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (exception instanceof ApiError) {
      response.set(exception.headers).status(exception.status).json(exception.body);
      return;
    }
    if (exception instanceof HttpException && isHealthReport(exception)) {
      // Terminus's readiness report (503) keeps its own shape: it lists every check, up or down.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException) {
      const headers = (exception as HttpException & { headers?: Record<string, string> }).headers ?? {};
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      response.status(exception.getStatus()).json(bodyOfHttpException(exception));
      return;
    }
    const clientError = clientErrorStatus(exception);
    if (clientError) {
      // A 4xx raised below the framework (an http-errors error of a parser): the client's fault, said in the one shape.
      response.status(clientError).json({
        error: ERROR_CODES[clientError] ?? 'bad_request',
        message: (exception as Error).message,
        details: [DEFAULT_DETAIL[clientError] ?? { field: 'request', rule: 'valid-request' }],
      });
      return;
    }
    if (isDataException(exception)) {
      // The database's message quotes the value: only the route and the SQLSTATE go to the log.
      this.logger.warn(
        `a request value reached the database unvalidated (${request.method} ${(request.route as { path?: string } | undefined)?.path ?? 'unmatched route'})`,
      );
      response.status(HttpStatus.BAD_REQUEST).json({
        error: 'bad_request',
        message: 'A value in the request is not valid for its field',
        details: [{ field: 'request', rule: 'valid-value' }],
      });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      response
        .status(HttpStatus.SERVICE_UNAVAILABLE)
        .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
        .json({
          error: 'service_unavailable',
          message: 'The database is unavailable; try again shortly',
          details: [{ field: 'database', rule: 'available' }],
        });
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ error: 'internal_error', message: 'The server could not complete the request', details: [] });
  }
}
