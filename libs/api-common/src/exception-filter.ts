import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, ErrorBody } from './api-error';

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
};

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
  const details: ErrorBody['details'] = [];
  // Express's body parser reports malformed JSON as a 400 with this type.
  if ((exception.cause as { type?: string } | undefined)?.type === 'entity.parse.failed' || /JSON/.test(message)) {
    details.push({ field: 'body', rule: 'valid-json' });
  }
  if (status === 401) details.push({ field: 'authorization', rule: 'valid-credentials' });
  return { error: ERROR_CODES[status] ?? 'error', message, details };
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
    if (exception instanceof ApiError) {
      response.set(exception.headers).status(exception.status).json(exception.body);
      return;
    }
    if (exception instanceof HttpException) {
      response.status(exception.getStatus()).json(bodyOfHttpException(exception));
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ error: 'internal_error', message: 'The server could not complete the request', details: [] });
  }
}
