import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Principal } from '@trialstream/auth';
import { CLOCK, TRIAL_STREAMS } from '@trialstream/config';
import { AccessRecorded, draftEvent, type TrialStreams } from '@trialstream/domain';
import { StreamWriter } from './stream-writer';

/** Records reads that an auditor must be able to see later, as `AccessRecorded` events. */
@Injectable()
export class AccessLog {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  /** Resolves once the access is durably in the log; callers record before they answer. */
  async record(principal: Principal, access: AccessRecorded): Promise<void> {
    const appended = await this.writer.appendFacts({
      streamId: this.streams.access(principal.userId),
      events: [draftEvent('AccessRecorded', this.clock().toISOString(), access)],
      siteId: null,
      actor: { userId: principal.userId, role: principal.role },
    });
    if (!appended) throw new Error(`could not record ${access.action} of ${access.resource}`);
  }
}

/** Global: every feature module records its reads without importing this; needs WriteSideModule's StreamWriter. */
@Global()
@Module({ providers: [AccessLog], exports: [AccessLog] })
export class AccessLogModule {}
