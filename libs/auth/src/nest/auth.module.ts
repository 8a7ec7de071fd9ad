import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CLOCK, PLATFORM_CONFIG } from '@trialstream/config';
import { loadConfig, PlatformConfig } from '@trialstream/config';
import { EVENT_STORE } from '@trialstream/event-store';
import type { PostgresEventStore } from '@trialstream/event-store';
import { AccountAudit } from '../account-audit';
import { Accounts } from '../accounts';
import { ApiKeys } from '../api-keys';
import { AuthSettings } from '../auth-settings';
import { UserDirectory } from '../user-directory';
import { ApiKeysController } from './api-keys.controller';
import { AuthController } from './auth.controller';
import { AuthenticationGuard } from './authentication.guard';
import { PermissionGuard } from './permission.guard';
import { DATA_SOURCE } from './tokens';

export interface AuthModuleOptions {
  /** Modules that provide DATA_SOURCE, unless a global module already does. */
  imports?: ModuleMetadata['imports'];
}

const AUTH_SETTINGS = 'AUTH_SETTINGS';
const AUTH_CLOCK = 'AUTH_CLOCK';
const optional = (token: string) => ({ token, optional: true });

/** Authentication and authorization for every route of the app that imports it. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [AuthController, ApiKeysController],
      providers: [
        // The platform's clock and configuration when composed; real time and the defaults alone.
        { provide: AUTH_CLOCK, useFactory: (clock?: () => Date) => clock ?? (() => new Date()), inject: [optional(CLOCK)] },
        {
          provide: AUTH_SETTINGS,
          useFactory: (config?: PlatformConfig): AuthSettings => (config ?? loadConfig({})).auth,
          inject: [optional(PLATFORM_CONFIG)],
        },
        {
          provide: AccountAudit,
          useFactory: (store: PostgresEventStore, clock: () => Date) => new AccountAudit(store, clock),
          inject: [optional(EVENT_STORE), AUTH_CLOCK],
        },
        {
          provide: UserDirectory,
          useFactory: (dataSource: DataSource, clock: () => Date) => new UserDirectory(dataSource, clock),
          inject: [DATA_SOURCE, AUTH_CLOCK],
        },
        {
          provide: Accounts,
          useFactory: (dataSource: DataSource, audit: AccountAudit, settings: AuthSettings, clock: () => Date) =>
            new Accounts(dataSource, audit, settings, clock),
          inject: [DATA_SOURCE, AccountAudit, AUTH_SETTINGS, AUTH_CLOCK],
        },
        {
          provide: ApiKeys,
          useFactory: (dataSource: DataSource, audit: AccountAudit, clock: () => Date) => new ApiKeys(dataSource, audit, clock),
          inject: [DATA_SOURCE, AccountAudit, AUTH_CLOCK],
        },
        // Order matters: Nest runs global guards in registration order, and permissions need the principal.
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
      exports: [UserDirectory, Accounts, ApiKeys],
    };
  }
}
