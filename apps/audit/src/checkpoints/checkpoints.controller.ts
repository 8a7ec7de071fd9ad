import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '@trialstream/api-common';
import { RequirePermission } from '@trialstream/auth';
import type { LogCheckpointed } from '@trialstream/domain';
import { EVENT_STORE, recordedCheckpoints, type PostgresEventStore } from '@trialstream/event-store';
import { AUDITORS_ONLY, CheckpointList } from '../audit.views';

/** The checkpoints the log recorded of itself; `npm run audit:checkpoint` exports a full one. */
@ApiTags('audit')
@RequirePermission('read-audit-log')
@Controller('audit/checkpoints')
export class CheckpointsController {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  @Get()
  @ApiEndpoint({
    summary: 'Every checkpoint the log recorded of itself, oldest first: root over all stream heads, position, time, counts',
    ok: CheckpointList,
    refusals: AUDITORS_ONLY,
  })
  async list(): Promise<{ checkpoints: Array<LogCheckpointed & { eventId: string; recordedAt: string }> }> {
    return { checkpoints: await recordedCheckpoints(this.store) };
  }
}
