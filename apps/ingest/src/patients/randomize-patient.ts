import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '@trialstream/api-common';
import type { Principal } from '@trialstream/auth';
import { CLOCK, TRIAL_STREAMS } from '@trialstream/config';
import { decideRandomization, EventEnvelope, patientStateFrom, PatientState, type TrialStreams } from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { AllocationStore } from '@trialstream/allocation';
import { StreamWriter, WriteResult } from '@trialstream/write-side';
import { assertPatientAccess } from './submit-patient-data';

export type RandomizationBody = Record<string, unknown> & {
  submissionId: string;
  expectedVersion?: number;
  occurredAt: string;
  kitNumber?: string;
  stratum?: string;
};

export class RandomizePatient {
  constructor(
    readonly principal: Principal,
    readonly patientId: string,
    readonly body: RandomizationBody,
  ) {}
}

/** Rule codes of server-side kit assignment. */
export const KIT_ASSIGNMENT_RULE = {
  assignedByServer: 'kit-assigned-by-server',
  noListLoaded: 'allocation-list-missing',
  noKitAvailable: 'no-kit-available',
  stratumIsSite: 'stratum-is-site',
} as const;

const refuse = (field: string, rule: string, message: string) => ApiError.ruleViolations([{ field, rule, message }]);

const recordsKit = (events: readonly EventEnvelope[], kitNumber: string): boolean =>
  events.some((event) => event.type === 'PatientRandomized' && (event.data as { kitNumber?: unknown }).kitNumber === kitNumber);

/**
 * Randomization with server-assigned kits. With the trial's allocation list loaded, the server holds
 * the next free kit of the patient's stratum (the site) and records the randomization through the
 * one write path, StreamWriter; the site learns the kit number from the answer, never the arm.
 *
 * The kit is held in the allocation schema before deciding, in its own transaction: StreamWriter
 * appends through the store's group commit, which cannot join it. So the two are one logical flow:
 * - a refused or failed append releases the kit (unless the stream holds it after all, e.g. a
 *   concurrent retry of the same patient won), so the stratum's order of dispensing is kept;
 * - a crash between holding and appending leaves the kit held for this patient, not lost: the
 *   patient's next attempt gets the same kit back, and until then the administrator's counts show
 *   it as reserved;
 * - a crash after appending leaves it reserved rather than dispensed: any later randomization
 *   request of the patient (a retry is answered from the store) marks it dispensed.
 * Without a list (kits dispensed by an external IWRS) the site reports the kit it dispensed.
 */
@CommandHandler(RandomizePatient)
export class RandomizePatientHandler implements ICommandHandler<RandomizePatient, WriteResult> {
  constructor(
    private readonly writer: StreamWriter,
    private readonly allocation: AllocationStore,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async execute({ principal, patientId, body }: RandomizePatient): Promise<WriteResult> {
    if (!(await this.allocation.isLoaded())) {
      if (body.kitNumber === undefined) {
        throw refuse(
          'kitNumber',
          KIT_ASSIGNMENT_RULE.noListLoaded,
          'no allocation list is loaded: report the kit dispensed, or load the list first',
        );
      }
      return this.record(principal, patientId, body, { kitNumber: body.kitNumber, stratum: body.stratum });
    }
    if (body.kitNumber !== undefined) {
      throw refuse(
        'kitNumber',
        KIT_ASSIGNMENT_RULE.assignedByServer,
        'the server assigns the kit from the allocation list: send no kitNumber',
      );
    }

    const streamId = this.streams.patient(patientId);
    const state = patientStateFrom(await this.store.readStream(streamId));
    assertPatientAccess(principal, patientId, state, 'submit-clinical-data');
    const stratum = state.siteId as string;
    if (body.stratum !== undefined && body.stratum !== stratum) {
      throw refuse('stratum', KIT_ASSIGNMENT_RULE.stratumIsSite, `patients of site ${stratum} are randomized in stratum ${stratum}`);
    }
    if (state.kitNumber) {
      // a retry (answered from the store) or a second randomization (refused): nothing new to hold
      const result = await this.record(principal, patientId, body, { kitNumber: state.kitNumber, stratum });
      await this.allocation.markDispensed(state.kitNumber, patientId, this.clock());
      return result;
    }

    const kitNumber = await this.allocation.reserve(stratum, patientId, this.clock());
    if (kitNumber === null) {
      throw refuse('stratum', KIT_ASSIGNMENT_RULE.noKitAvailable, `the allocation list has no free kit left in stratum ${stratum}`);
    }
    let result: WriteResult;
    try {
      result = await this.record(principal, patientId, body, { kitNumber, stratum });
    } catch (error) {
      if (!recordsKit(await this.store.readStream(streamId), kitNumber)) await this.allocation.release(kitNumber, patientId);
      throw error;
    }
    await this.allocation.markDispensed(kitNumber, patientId, this.clock());
    return result;
  }

  private record(principal: Principal, patientId: string, body: RandomizationBody, kit: { kitNumber: string; stratum?: string }) {
    const { submissionId, expectedVersion } = body;
    return this.writer.write<PatientState>({
      principal,
      streamId: this.streams.patient(patientId),
      siteOf: (state) => state.siteId,
      submissionId,
      expectedVersion,
      // the site's request as sent: a retry hashes the same whichever kit the server assigned
      request: { kind: 'randomization', body },
      resource: { patientId, kitNumber: kit.kitNumber, ...(kit.stratum ? { stratum: kit.stratum } : {}) },
      fold: patientStateFrom,
      authorize: (state) => assertPatientAccess(principal, patientId, state, 'submit-clinical-data'),
      decide: (state, ctx) =>
        decideRandomization(
          state,
          { occurredAt: body.occurredAt, kitNumber: kit.kitNumber, stratum: kit.stratum ?? (state.siteId as string) },
          ctx,
        ),
    });
  }
}
