import { DynamicModule, Global, Module } from '@nestjs/common';
import { createPinoLogger, HealthModule, LoggingModule, MetricsModule } from '@trialstream/api-common';
import { PlatformConfig, PlatformConfigModule, TRIAL_STREAMS } from '@trialstream/config';
import { DatabaseModule } from '@trialstream/database';
import { EVENT_STORE_MIGRATIONS } from '@trialstream/event-store';
import { TRIAL_STREAMS_PROVIDER } from '@trialstream/protocol';
import { RELAY_MIGRATIONS } from './migrations';
import { RelayHealthController } from './relay-health.controller';
import { RelayModule } from './relay.module';

/** The deployment's trial, whose id the topic carries (Global: RelayModule's providers inject it). */
@Global()
@Module({ providers: [TRIAL_STREAMS_PROVIDER], exports: [TRIAL_STREAMS] })
class RelayTrialModule {}

@Module({})
class RelayAppModule {}

/** The relay as its own process: configuration, its database (store and relay schemas), the relay and GET /health. */
export function createRelayAppModule(config: PlatformConfig): DynamicModule {
  return {
    module: RelayAppModule,
    imports: [
      PlatformConfigModule.forRoot(config),
      DatabaseModule.forRoot({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.dbPoolSize,
        migrations: [...EVENT_STORE_MIGRATIONS, ...RELAY_MIGRATIONS],
        applicationName: 'trialstream-relay',
      }),
      LoggingModule.forRoot(createPinoLogger({ level: config.logLevel, format: config.logFormat })),
      HealthModule,
      MetricsModule,
      RelayTrialModule,
      // A relay of its own may be one of several on a shared database: they elect the one that publishes.
      RelayModule.forRoot({ electLeader: config.databaseUrl !== null }),
    ],
    controllers: [RelayHealthController],
  };
}
