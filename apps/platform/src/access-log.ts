import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Principal } from '@trialstream/auth';
import { CLOCK } from '@trialstream/config';
import { AccessRecorded, accessStreamId } from '@trialstream/domain';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';

/** Records reads that an auditor must be able to see later, as `AccessRecorded` events. */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  /** Resolves once the access is durably in the log; callers record before they answer. */
  async record(principal: Principal, access: AccessRecorded): Promise<void> {
    const streamId = accessStreamId(principal.userId);
    // A reader's own stream only races with the same reader's parallel requests: retry on the new version.
    for (let attempt = 0; attempt < 20; attempt++) {
      const outcome = await this.store.append({
        streamId,
        expectedVersion: await this.store.streamVersion(streamId),
        events: [{ type: 'AccessRecorded', schemaVersion: 1, occurredAt: this.clock().toISOString(), data: access }],
        siteId: null,
        actor: { userId: principal.userId, role: principal.role },
      });
      if (outcome.status === 'appended') return;
    }
    throw new Error(`could not record ${access.action} of ${access.resource}`);
  }
}

@Global()
@Module({ providers: [AccessLog], exports: [AccessLog] })
export class AccessLogModule {}
