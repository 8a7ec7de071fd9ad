import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController } from '@trialstream/api-common';
import { AuthModule } from '@trialstream/auth';
import { PlatformConfig, PlatformConfigModule, PlatformConfigOverrides } from '@trialstream/config';
import { DatabaseModule } from '@trialstream/database';
import { EventStoreModule } from '@trialstream/event-store';
import { FRESH_READS_OPTIONS, MinPositionInterceptor } from '@trialstream/projections';
import { AccessLogModule } from './access-log';
import { PLATFORM_MIGRATIONS } from './migrations';

export interface AppModuleOptions {
  /** The feature modules this process runs: all of them in embedded mode, one in distributed mode. */
  features: Array<Type | DynamicModule>;
  applicationName: string;
  overrides?: PlatformConfigOverrides;
}

@Module({})
class AppModule {}

/** The one composition root every app uses: configuration, database, store, auth, CQRS, health. */
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
      CqrsModule.forRoot(),
      AccessLogModule,
      ...options.features,
    ],
    controllers: [HealthController],
    providers: [
      { provide: FRESH_READS_OPTIONS, useValue: { waitMs: config.minPositionWaitMs } },
      { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
    ],
  };
}
