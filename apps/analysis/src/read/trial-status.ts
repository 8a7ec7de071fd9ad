import { Inject, Injectable } from '@nestjs/common';
import { ProtocolVersion, protocolVersionsFrom, TRIAL_STREAM_ID, TrialState, trialStateFrom } from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';

/**
 * Where the trial stands (open, frozen, locked, unblinded), read from the `trial` stream itself rather
 * than from a read model: whether an arm may be shown must not lag behind the unblinding event.
 */
@Injectable()
export class TrialStatusReader {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  async current(): Promise<TrialState> {
    return trialStateFrom(await this.store.readStream(TRIAL_STREAM_ID));
  }

  /** The protocol versions activated on the trial stream, in order. */
  async protocolVersions(): Promise<ProtocolVersion[]> {
    return protocolVersionsFrom(await this.store.readStream(TRIAL_STREAM_ID));
  }
}
