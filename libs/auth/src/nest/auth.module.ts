import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { UserDirectory } from '../user-directory';
import { ApiKeyGuard } from './api-key.guard';
import { PermissionGuard } from './permission.guard';
import { DATA_SOURCE } from './tokens';

export interface AuthModuleOptions {
  /** Modules that provide DATA_SOURCE, unless a global module already does. */
  imports?: ModuleMetadata['imports'];
}

/** Authentication and authorization for every route of the app that imports it. */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: UserDirectory, useFactory: (dataSource: DataSource) => new UserDirectory(dataSource), inject: [DATA_SOURCE] },
        // Order matters: Nest runs global guards in registration order, and permissions need the principal.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
      ],
      exports: [UserDirectory],
    };
  }
}
