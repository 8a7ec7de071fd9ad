import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody, ErrorDetail } from '../api-error';

/** One broken rule: the field (a path such as `nerves[1].side`, or `path`, `body`, `authorization`) and the rule's name. */
export class ErrorDetailView implements ErrorDetail {
  @ApiProperty({ example: 'occurredAt' })
  field: string;

  @ApiProperty({ example: 'in-the-future' })
  rule: string;
}

/** The one error shape of every 4xx and 503. */
export class ErrorBodyView implements ErrorBody {
  @ApiProperty({ example: 'rule_violation', description: 'A stable code: validation_failed, bad_request, rule_violation, conflict, ...' })
  error: string;

  @ApiProperty({ example: 'occurredAt: clinical time is in the future' })
  message: string;

  @ApiProperty({ type: [ErrorDetailView], description: 'Every field and rule that refused the request; never empty on a 4xx' })
  details: ErrorDetailView[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Only on 423 (a locked-out user name): when logins are accepted again' })
  unlockAt?: string;
}
