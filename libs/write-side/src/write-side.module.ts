import { Global, Module } from '@nestjs/common';
import { CLOCK, PROTOCOL, TRIAL_STREAMS } from '@trialstream/config';
import type { ProtocolDefinition, TrialStreams } from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { StreamWriter } from './stream-writer';

/**
 * The one StreamWriter of a process. Its per-stream mutex only queues writers that share it, so every
 * app of the process and every command-line tool gets it from here, never from its own `new`.
 */
export const createStreamWriter = (
  store: PostgresEventStore,
  clock: () => Date,
  protocol: ProtocolDefinition,
  streams: TrialStreams,
): StreamWriter => new StreamWriter(store, clock, protocol, streams);

/** Global: the composition root imports it once; feature modules inject StreamWriter without importing it. */
@Global()
@Module({
  providers: [{ provide: StreamWriter, useFactory: createStreamWriter, inject: [EVENT_STORE, CLOCK, PROTOCOL, TRIAL_STREAMS] }],
  exports: [StreamWriter],
})
export class WriteSideModule {}
