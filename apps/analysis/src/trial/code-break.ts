import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import { authorize, type Principal } from '@trialstream/auth';
import {
  decideCodeBreak,
  SignatureManifest,
  withSignature,
  PatientState,
  patientStateFrom,
  TRIAL_RULE,
  type TrialStreams,
} from '@trialstream/domain';
import { TRIAL_STREAMS } from '@trialstream/config';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { AccessLog, StreamWriter, WriteResult } from '@trialstream/write-side';
import { AllocationStore } from '@trialstream/allocation';

export class BreakCode {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
    readonly body: { submissionId: string; reason: string },
    /** Re-authenticates the requester (21 CFR Part 11): called once the patient and the kit are known to be there. */
    readonly sign: () => Promise<SignatureManifest>,
  ) {}
}

export interface CodeBreakResult {
  result: WriteResult;
  kitNumber: string;
  /** For the requester's response only: never stored, logged or published. */
  arm: string;
}

/** The patient must exist and belong to one of the caller's sites (checked on the stream, not the URL). */
function assertCodeBreakAccess(principal: Principal, patientId: string, state: PatientState): void {
  if (state.status === 'not_enrolled' || state.siteId === null) throw ApiError.notFound(`Patient ${patientId}`, 'patientId');
  const denial = authorize(principal, 'code-break', state.siteId);
  if (denial) throw ApiError.forbidden(denial.message, [{ field: 'patientId', rule: denial.rule }]);
}

/**
 * An emergency code-break: `CodeBreakPerformed { reason }` on the patient's stream (monitors and the
 * patient's history see that it happened), an AccessRecorded 'code-break-read' in the requester's
 * stream, and the arm in this one response. The arm goes nowhere else: not into the event, not into
 * the stored submission response a retry is answered from (a retry looks the arm up again, and is
 * recorded again).
 */
@CommandHandler(BreakCode)
export class BreakCodeHandler implements ICommandHandler<BreakCode, CodeBreakResult> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly allocation: AllocationStore,
    private readonly accessLog: AccessLog,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async execute({ principal, patientId, body, sign }: BreakCode): Promise<CodeBreakResult> {
    const streamId = this.streams.patient(patientId);
    const state = patientStateFrom(await this.store.readStream(streamId));
    assertCodeBreakAccess(principal, patientId, state);
    const kitNumber = state.kitNumber;
    const arm = kitNumber ? (await this.allocation.armsOfKits([kitNumber])).get(kitNumber) : undefined;
    if (kitNumber && arm === undefined) {
      throw ApiError.ruleViolations([
        {
          field: 'patientId',
          rule: TRIAL_RULE.noAllocatedKit,
          message: `kit ${kitNumber} is not on the allocation list: there is no arm to reveal`,
        },
      ]);
    }

    // A refused request never asks for the password, so it neither records nor counts a failed signature.
    const signature = await sign();
    const { submissionId, ...command } = body;
    const result = await this.writer.write<PatientState>({
      principal,
      streamId,
      siteOf: (current) => current.siteId,
      submissionId,
      request: { kind: 'code-break', body },
      resource: { patientId },
      fold: patientStateFrom,
      authorize: (current) => assertCodeBreakAccess(principal, patientId, current),
      allowedWhenDatabaseClosed: true,
      decide: (current, ctx) => withSignature(decideCodeBreak(current, command, ctx), signature),
    });
    await this.accessLog.record(principal, {
      action: 'code-break-read',
      resource: `patient/${patientId}`,
      detail: { kitNumber, codeBreakEventId: result.response.events[0]?.eventId, replayed: result.replayed },
    });
    return { result, kitNumber: kitNumber as string, arm: arm as string };
  }
}
