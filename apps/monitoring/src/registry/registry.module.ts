import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/auth';
import type { DataSource } from 'typeorm';
import { RegistryController } from './registry.controller';
import { RegistryReader } from './registry-reader';

const providers = [
  { provide: RegistryReader, useFactory: (dataSource: DataSource) => new RegistryReader(dataSource), inject: [DATA_SOURCE] },
];

/**
 * The registry's query API. Import it where a global module provides 'DATA_SOURCE' (the platform's
 * DatabaseModule), or through `register({ imports })` naming the module that does. The read model
 * itself is fed elsewhere: `startProjection(REGISTRY_PROJECTION, ...)`.
 */
@Module({ controllers: [RegistryController], providers, exports: [RegistryReader] })
export class RegistryModule {
  static register(options: { imports?: ModuleMetadata['imports'] } = {}): DynamicModule {
    return {
      module: RegistryModule,
      imports: options.imports ?? [],
      controllers: [RegistryController],
      providers,
      exports: [RegistryReader],
    };
  }
}
