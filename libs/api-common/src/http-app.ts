import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './exception-filter';
import { jsonBodyMiddleware } from './json-body';
import { httpMetricsMiddleware, Metrics } from './metrics';
import { createValidationPipe } from './validation';

/** The same HTTP behaviour for every app, alone or composed: validation, error shape, OpenAPI at /docs. */
export function configureHttpApp(app: INestApplication, title: string): void {
  app.use(httpMetricsMiddleware(app.get(Metrics, { strict: false })));
  app.use(jsonBodyMiddleware());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setDescription('trialstream: event-sourced data platform for multi-center clinical trials')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key issued by `npm run admin -- create-user`' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
