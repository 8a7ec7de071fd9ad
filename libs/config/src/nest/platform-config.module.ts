import { DynamicModule, Global, Module } from '@nestjs/common';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, ProtocolDefinition } from '@trialstream/domain';
import type { PlatformConfig } from '../config';
import { liveProtocol, ProtocolHolder } from '../protocol-holder';
import { CLOCK, PLATFORM_CONFIG, PROTOCOL, PROTOCOL_HOLDER } from '../tokens';

export interface PlatformConfigOverrides {
  clock?: () => Date;
  protocol?: ProtocolDefinition;
}

/**
 * Configuration, clock and protocol for every module of the process, from one place. The protocol
 * starts as the override (tests) or the built-in first protocol; the protocol versions on the trial
 * stream replace it (ProtocolModule of libs/protocol).
 */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(config: PlatformConfig, overrides: PlatformConfigOverrides = {}): DynamicModule {
    return {
      module: PlatformConfigModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? (() => new Date()) },
        { provide: PROTOCOL_HOLDER, useValue: new ProtocolHolder(overrides.protocol ?? ANTI_MAG_RITUXIMAB_PROTOCOL) },
        { provide: PROTOCOL, useFactory: liveProtocol, inject: [PROTOCOL_HOLDER] },
      ],
      exports: [PLATFORM_CONFIG, CLOCK, PROTOCOL, PROTOCOL_HOLDER],
    };
  }
}
