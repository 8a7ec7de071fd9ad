import { Global, Module } from '@nestjs/common';
import { ProtocolController } from './protocol.controller';
import { ProtocolRegistry } from './protocol-registry';

/** (StreamWriter comes from the global WriteSideModule of the composition root.) The protocol versions on the trial stream, their activation route, and PROTOCOL kept at the version in force. */
@Global()
@Module({
  controllers: [ProtocolController],
  providers: [ProtocolRegistry],
  exports: [ProtocolRegistry],
})
export class ProtocolModule {}
