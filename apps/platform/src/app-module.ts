import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { CqrsModule } from '@nestjs/cqrs';
import { createPinoLogger, HealthController, HealthModule, LoggingModule, MetricsModule } from '@trialstream/api-common';
import { AuthModule } from '@trialstream/auth';
import { PlatformConfig, PlatformConfigModule, PlatformConfigOverrides } from '@trialstream/config';
import { DatabaseModule } from '@trialstream/database';
import { EventStoreModule } from '@trialstream/event-store';
import { FreshReadsModule } from '@trialstream/projections';
import { ProtocolModule } from '@trialstream/protocol';
import { WriteSideModule, AccessLogModule } from '@trialstream/write-side';
import { AUDITED_PROJECTIONS } from '../../audit/src/audit.tokens';
import { PLATFORM_MIGRATIONS, PLATFORM_PROJECTIONS } from './migrations';

export interface AppModuleOptions {
  /** The feature modules this process runs: all of them in embedded mode, one in distributed mode. */
  features: Array<Type | DynamicModule>;
  applicationName: string;
  overrides?: PlatformConfigOverrides;
  /** The process's pino logger; by default JSON lines (pretty in a terminal) at LOG_LEVEL. */
  logger?: Logger;
}

@Module({})
class AppModule {}

/** What the composition knows and feature apps ask for: every read model of the platform (the audit checks them all). */
@Global()
@Module({ providers: [{ provide: AUDITED_PROJECTIONS, useValue: PLATFORM_PROJECTIONS }], exports: [AUDITED_PROJECTIONS] })
class CompositionModule {}

/** The one composition root every app uses: configuration, database, store, auth, CQRS, protocol versions, health. */
export function createAppModule(config: PlatformConfig, options: AppModuleOptions): DynamicModule {
  return {
    module: AppModule,
    imports: [
      PlatformConfigModule.forRoot(config, options.overrides),
      DatabaseModule.forRoot({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.dbPoolSize,
        migrations: PLATFORM_MIGRATIONS,
        applicationName: options.applicationName,
      }),
      EventStoreModule,
      AuthModule.forRoot(),
      // after AuthModule: its guards answer before a read may wait for its read model
      FreshReadsModule.forRoot({ waitMs: config.minPositionWaitMs }),
      CqrsModule.forRoot(),
      CompositionModule,
      WriteSideModule,
      AccessLogModule,
      LoggingModule.forRoot(options.logger ?? createPinoLogger({ level: config.logLevel, format: config.logFormat })),
      // before the features: the protocol version in force is set when they start
      ProtocolModule,
      HealthModule,
      MetricsModule,
      ...options.features,
    ],
    controllers: [HealthController],
  };
}
