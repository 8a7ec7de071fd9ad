import { Inject, Injectable } from '@nestjs/common';
import { TRIAL_STREAMS } from '@trialstream/config';
import { ProtocolVersion, protocolVersionsFrom, TrialState, trialStateFrom, type TrialStreams } from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';

/**
 * Where the trial stands (open, frozen, locked, unblinded), read from the `trial` stream itself rather
 * than from a read model: whether an arm may be shown must not lag behind the unblinding event.
 */
@Injectable()
export class TrialStatusReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async current(): Promise<TrialState> {
    return trialStateFrom(await this.store.readStream(this.streams.trial));
  }

  /** The protocol versions activated on the trial stream, in order. */
  async protocolVersions(): Promise<ProtocolVersion[]> {
    return protocolVersionsFrom(await this.store.readStream(this.streams.trial));
  }
}
