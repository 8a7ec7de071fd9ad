import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './exception-filter';
import { BEARER_SCHEME, SESSION_SCHEME } from './openapi';
import { jsonBodyMiddleware } from './json-body';
import { httpLoggingMiddleware, PINO, PlatformLogger, requestContextMiddleware } from './logging';
import { httpMetricsMiddleware, Metrics } from './metrics';
import type { Logger } from 'pino';
import { SESSION_COOKIE } from '@trialstream/auth';
import { createValidationPipe } from './validation';

/** A provider the app's modules may not include (LoggingModule, MetricsModule: test compositions leave them out). */
function optional<T>(app: INestApplication, token: unknown): T | undefined {
  try {
    return app.get<T>(token as never, { strict: false });
  } catch {
    return undefined;
  }
}

/** The same HTTP behaviour for every app, alone or composed: validation, error shape, OpenAPI at /docs. */
export function configureHttpApp(app: INestApplication, title: string): void {
  const logger = optional<PlatformLogger>(app, PlatformLogger);
  const pino = optional<Logger>(app, PINO);
  const metrics = optional<Metrics>(app, Metrics);
  if (logger) app.useLogger(logger);
  // Order matters: the request's id first (every later line carries it), then its log line and its timing,
  // which therefore cover refusals at the edge too, then the body reader.
  app.use(requestContextMiddleware);
  if (pino) app.use(httpLoggingMiddleware(pino));
  if (metrics) app.use(httpMetricsMiddleware(metrics));
  app.use(jsonBodyMiddleware());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  // A factory: the OpenAPI document is built on the first visit of /docs, not at every start.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setDescription('trialstream: event-sourced data platform for multi-center clinical trials')
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            // An opaque API key, not a JWT (the generator's default format).
            bearerFormat: 'API key',
            description: 'API key issued by POST /users, POST /api-keys or `npm run admin -- create-user`',
          },
          BEARER_SCHEME,
        )
        .addCookieAuth(
          SESSION_COOKIE,
          {
            type: 'apiKey',
            in: 'cookie',
            description: "A person's session from POST /auth/login; requests that change something also send its `X-CSRF-Token`",
          },
          SESSION_SCHEME,
        )
        .build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
