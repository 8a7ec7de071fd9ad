import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@trialstream/auth';
import type { LogCheckpointed } from '@trialstream/domain';
import { EVENT_STORE, recordedCheckpoints, type PostgresEventStore } from '@trialstream/event-store';

/** The checkpoints the log recorded of itself; `npm run audit:checkpoint` exports a full one. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Only auditors read the audit log' })
@RequirePermission('read-audit-log')
@Controller('audit/checkpoints')
export class CheckpointsController {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  @Get()
  @ApiOkResponse({ description: 'Every recorded checkpoint, oldest first: root over all stream heads, position, time, counts' })
  async list(): Promise<{ checkpoints: Array<LogCheckpointed & { eventId: string; recordedAt: string }> }> {
    return { checkpoints: await recordedCheckpoints(this.store) };
  }
}
