import { Inject, Injectable } from '@nestjs/common';
import { isBlinded, type Principal } from '@trialstream/auth';
import { TRIAL_STREAMS } from '@trialstream/config';
import { patientIdOfStream, trialStateFrom, isUnblinded, type EventEnvelope, type TrialStreams } from '@trialstream/domain';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { AllocationStore } from '@trialstream/allocation';

/**
 * The arm of each randomized patient for an export, or nothing: only for an unblinded reader, and only
 * once the trial was unblinded (before that, even an auditor's export carries no arm).
 */
@Injectable()
export class ExportAllocation {
  constructor(
    private readonly allocation: AllocationStore,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async armsFor(principal: Principal, events: readonly EventEnvelope[]): Promise<Record<string, string> | undefined> {
    if (isBlinded(principal)) return undefined;
    if (!isUnblinded(trialStateFrom(await this.store.readStream(this.streams.trial)))) return undefined;
    const kitOfPatient = new Map<string, string>();
    for (const event of events) {
      const patientId = patientIdOfStream(event.streamId);
      if (event.type === 'PatientRandomized' && patientId !== undefined) {
        kitOfPatient.set(patientId, (event.data as { kitNumber: string }).kitNumber);
      }
    }
    const arms = await this.allocation.armsOfKits([...kitOfPatient.values()]);
    const allocation: Record<string, string> = {};
    for (const [patientId, kit] of kitOfPatient) {
      const arm = arms.get(kit);
      if (arm !== undefined) allocation[patientId] = arm;
    }
    return allocation;
  }
}
