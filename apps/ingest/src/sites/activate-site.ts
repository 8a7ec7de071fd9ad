import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '@trialstream/auth';
import { decideSiteActivation, evolveSite, initialSiteState, SiteActivationCommand, SiteState, siteStreamId } from '@trialstream/domain';
import { StreamWriter, WriteResult } from '@trialstream/write-side';

export class ActivateSite {
  constructor(
    readonly principal: Principal,
    readonly body: SiteActivationCommand & { submissionId: string },
  ) {}
}

/** A site is a trial-level fact in its own stream (`site-<id>`), activated by an administrator. */
@CommandHandler(ActivateSite)
export class ActivateSiteHandler implements ICommandHandler<ActivateSite, WriteResult> {
  constructor(private readonly writer: StreamWriter) {}

  execute({ principal, body }: ActivateSite): Promise<WriteResult> {
    const { submissionId, ...command } = body;
    return this.writer.write<SiteState>({
      principal,
      streamId: siteStreamId(command.siteId),
      siteOf: () => command.siteId,
      submissionId,
      request: { kind: 'site-activation', body },
      resource: { siteId: command.siteId },
      fold: (events) => events.reduce(evolveSite, initialSiteState),
      authorize: () => undefined,
      decide: (state, ctx) => decideSiteActivation(state, command, ctx),
    });
  }
}
