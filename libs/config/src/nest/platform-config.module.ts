import { DynamicModule, Global, Module } from '@nestjs/common';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, ProtocolDefinition } from '@trialstream/domain';
import type { PlatformConfig } from '../config';
import { CLOCK, PLATFORM_CONFIG, PROTOCOL } from '../tokens';

export interface PlatformConfigOverrides {
  clock?: () => Date;
  protocol?: ProtocolDefinition;
}

/** Configuration, clock and protocol for every module of the process, from one place. */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(config: PlatformConfig, overrides: PlatformConfigOverrides = {}): DynamicModule {
    return {
      module: PlatformConfigModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? (() => new Date()) },
        { provide: PROTOCOL, useValue: overrides.protocol ?? ANTI_MAG_RITUXIMAB_PROTOCOL },
      ],
      exports: [PLATFORM_CONFIG, CLOCK, PROTOCOL],
    };
  }
}
