import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { PlatformLogger } from './platform-logger';

export const PINO = Symbol('PINO');

@Module({})
export class LoggingModule {
  /**
   * nestjs-pino over the process's logger. The HTTP line per request is written by the pino-http middleware
   * that configureHttpApp installs first (so refusals at the edge are logged too): `useExisting`.
   */
  static forRoot(logger: Pino): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true })],
      providers: [PlatformLogger, { provide: PINO, useValue: logger }],
      exports: [PlatformLogger, PINO],
    };
  }
}
