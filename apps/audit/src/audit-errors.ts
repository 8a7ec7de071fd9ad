import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import { InvalidPointInTimeError, pointInTimeOf, type PointInTime } from './point-in-time/point-in-time';

/** The moment a request names, or the API's 400 naming the parameter and the rule. */
export function requestedPointInTime(query: { at?: string; position?: string }): PointInTime {
  try {
    return pointInTimeOf(query);
  } catch (error) {
    if (!(error instanceof InvalidPointInTimeError)) throw error;
    throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', error.message, [{ field: error.field, rule: error.rule }]);
  }
}
