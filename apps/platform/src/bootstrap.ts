import type { Server } from 'node:http';
import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp } from '@trialstream/api-common';
import { applyHeapGrowth, describeError, loadConfig, PlatformConfig } from '@trialstream/config';
import { createAppModule } from './app-module';

export interface BootstrapOptions {
  name: string;
  features: Array<Type | DynamicModule>;
  config?: PlatformConfig;
}

/** Starts one app (or the whole platform) as an HTTP server; every `main.ts` is this call. */
export async function bootstrapApp(options: BootstrapOptions): Promise<{ app: INestApplication; config: PlatformConfig; url: string }> {
  const config = options.config ?? loadConfig();
  applyHeapGrowth(config.heapGrowthPercent);
  const app = await NestFactory.create(
    createAppModule(config, { features: options.features, applicationName: `trialstream-${options.name}` }),
    {
      bufferLogs: true,
      // The API's own body reader (configureHttpApp) is the only one.
      bodyParser: false,
    },
  );
  await configureHttpApp(app, `trialstream ${options.name}`);
  await app.listen(config.port, config.host);
  const address = (app.getHttpServer() as Server).address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  new Logger(options.name).log(`listening on ${url} (OpenAPI at ${url}/docs)`);
  return { app, config, url };
}

/** A process's start: if it fails, the reason (with its stack) is logged and the process exits with 1, not left half started. */
export function startOrExit(start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    // A failure before the app's logger took over (bufferLogs) would otherwise leave the buffer, and itself, unwritten.
    Logger.flush();
    new Logger('bootstrap').error((error as Error)?.stack ?? describeError(error));
    process.exit(1);
  });
}
