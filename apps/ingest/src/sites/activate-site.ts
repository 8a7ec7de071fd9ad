import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '@trialstream/auth';
import { SiteActivationCommand, siteDecider, SiteState, type TrialStreams } from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { decisionBy, StreamWriter, WriteResult } from '@trialstream/write-side';

export class ActivateSite {
  constructor(
    readonly principal: Principal,
    readonly body: SiteActivationCommand & { submissionId: string },
  ) {}
}

/** A site is a trial-level fact in its own stream (`site-<id>`), activated by an administrator. */
@CommandHandler(ActivateSite)
export class ActivateSiteHandler implements ICommandHandler<ActivateSite, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  execute({ principal, body }: ActivateSite): Promise<WriteResult> {
    const { submissionId, ...command } = body;
    return this.writer.write<SiteState>({
      principal,
      streamId: this.streams.site(command.siteId),
      siteOf: () => command.siteId,
      submissionId,
      request: { kind: 'site-activation', body },
      resource: { siteId: command.siteId },
      authorize: () => undefined,
      ...decisionBy(siteDecider, command),
    });
  }
}
