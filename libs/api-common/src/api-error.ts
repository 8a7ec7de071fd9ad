import { HttpStatus } from '@nestjs/common';

/** One JSON shape for every error the API returns. */
export interface ErrorDetail {
  field: string;
  rule: string;
}

export interface ErrorBody {
  error: string;
  message: string;
  details: ErrorDetail[];
}

/** An error that already knows its HTTP status and body; the exception filter sends it as is. */
export class ApiError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly error: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Response headers that belong to the error, e.g. Retry-After on a 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body(): ErrorBody {
    return { error: this.error, message: this.message, details: this.details };
  }

  static notFound(what: string, field: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'not_found', `${what} was not found`, [{ field, rule: 'exists' }]);
  }

  static conflict(message: string, details: ErrorDetail[]): ApiError {
    return new ApiError(HttpStatus.CONFLICT, 'conflict', message, details);
  }

  static forbidden(message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'forbidden', message, details);
  }

  /** A well-formed request that the protocol's rules refuse. */
  static ruleViolations(violations: { field: string; rule: string; message: string }[]): ApiError {
    const message = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
    return new ApiError(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'rule_violation',
      message,
      violations.map(({ field, rule }) => ({ field, rule })),
    );
  }
}
