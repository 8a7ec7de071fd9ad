import { Global, Module } from '@nestjs/common';
import { TRIAL_STREAMS } from '@trialstream/config';
import { ProtocolController } from './protocol.controller';
import { ProtocolRegistry } from './protocol-registry';
import { TRIAL_STREAMS_PROVIDER } from './trial-streams';

/**
 * (StreamWriter comes from the global WriteSideModule of the composition root.) The protocol versions on the
 * trial stream, their activation route, PROTOCOL kept at the version in force, and TRIAL_STREAMS.
 */
@Global()
@Module({
  controllers: [ProtocolController],
  providers: [ProtocolRegistry, TRIAL_STREAMS_PROVIDER],
  exports: [ProtocolRegistry, TRIAL_STREAMS],
})
export class ProtocolModule {}
