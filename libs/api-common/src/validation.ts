import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ErrorDetail } from './api-error';
import { childPath } from './text-rules';

const kebab = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Flattens class-validator's error tree into `field` paths such as `nerves[1].motorConductionVelocityMs`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): { details: ErrorDetail[]; messages: string[] } {
  const details: ErrorDetail[] = [];
  const messages: string[] = [];
  for (const error of errors) {
    const field = childPath(parent, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const rule = constraint === 'whitelistValidation' ? 'unknown-field' : kebab(constraint);
      details.push({ field, rule });
      messages.push(rule === 'unknown-field' ? `${field} is not a known field` : message.replace(error.property, field));
    }
    const nested = flattenValidationErrors(error.children ?? [], field);
    details.push(...nested.details);
    messages.push(...nested.messages);
  }
  return { details, messages };
}

/** Request-shape validation for every route: unknown fields are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const { details, messages } = flattenValidationErrors(errors);
      return new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', messages.join('; '), details);
    },
  });
}
