import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { PlatformLogger } from './platform-logger';

export const PINO = Symbol('PINO');

@Module({})
export class LoggingModule {
  /**
   * nestjs-pino over the process's logger. The HTTP line per request is written by the middleware that
   * configureHttpApp installs first (so refusals at the edge are logged too), and the lines written while a
   * request is served carry its id through the logger's mixin: nestjs-pino's own middleware, which would
   * bind a logger per request, is installed on no route.
   */
  static forRoot(logger: Pino): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] })],
      providers: [PlatformLogger, { provide: PINO, useValue: logger }],
      exports: [PlatformLogger, PINO],
    };
  }
}
