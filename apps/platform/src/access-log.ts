import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Principal } from '@trialstream/auth';
import { CLOCK } from '@trialstream/config';
import { AccessRecorded, accessStreamId } from '@trialstream/domain';
import { appendAtStreamHead, EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';

/** Records reads that an auditor must be able to see later, as `AccessRecorded` events. */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  /** Resolves once the access is durably in the log; callers record before they answer. */
  async record(principal: Principal, access: AccessRecorded): Promise<void> {
    await appendAtStreamHead(this.store, {
      streamId: accessStreamId(principal.userId),
      events: [{ type: 'AccessRecorded', schemaVersion: 1, occurredAt: this.clock().toISOString(), data: access }],
      siteId: null,
      actor: { userId: principal.userId, role: principal.role },
    });
  }
}

@Global()
@Module({ providers: [AccessLog], exports: [AccessLog] })
export class AccessLogModule {}
