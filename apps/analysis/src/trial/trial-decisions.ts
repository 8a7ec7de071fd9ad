import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { TRIAL_STREAMS } from '@trialstream/config';
import type { Principal } from '@trialstream/auth';
import {
  decideDatabaseFreeze,
  EventDraft,
  decideDatabaseLock,
  decideUnblinding,
  SignatureManifest,
  TrialCommand,
  TrialState,
  trialStateFrom,
  withSignature,
  type TrialStreams,
} from '@trialstream/domain';
import { StreamWriter, WriteResult } from '@trialstream/write-side';

export const TRIAL_STEPS = {
  freeze: decideDatabaseFreeze,
  lock: decideDatabaseLock,
  unblinding: decideUnblinding,
} as const;

export type TrialStep = keyof typeof TRIAL_STEPS;

export class TakeTrialStep {
  constructor(
    readonly principal: Principal,
    readonly step: TrialStep,
    readonly body: TrialCommand & { submissionId: string },
    /** The decider's re-authenticated signature (21 CFR Part 11 §11.200): no decision is taken unsigned. */
    readonly signature: SignatureManifest,
  ) {}
}

/** Freeze, lock and unblinding: administrator decisions on the `trial` stream, through the one write path. */
@CommandHandler(TakeTrialStep)
export class TakeTrialStepHandler implements ICommandHandler<TakeTrialStep, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  execute({ principal, step, body, signature }: TakeTrialStep): Promise<WriteResult> {
    const { submissionId, ...command } = body;
    return this.writer.write<TrialState>({
      principal,
      streamId: this.streams.trial,
      siteOf: () => null,
      submissionId,
      request: { kind: `trial-${step}`, body },
      resource: { trial: step },
      fold: trialStateFrom,
      // the route required the step's permission ('lock-database' or 'unblind')
      authorize: () => undefined,
      decide: (state, ctx) => withSignature<EventDraft>(TRIAL_STEPS[step](state, command, ctx), signature),
    });
  }
}
