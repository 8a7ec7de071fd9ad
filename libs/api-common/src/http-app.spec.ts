import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { configureHttpApp } from './http-app';
import { createPinoLogger, LoggingModule } from './logging';

@Controller('ping')
class PingController {
  @Get()
  ping() {
    return { pong: true };
  }
}

/** Nest's default teardown of an error in the application's methods is process.exit(1): here it fails the test instead. */
const exitsRefused = () =>
  jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)})`);
  });

describe('configureHttpApp', () => {
  afterEach(() => jest.restoreAllMocks());

  it('configures a composition without logging or metrics, under the default abortOnError', async () => {
    const exit = exitsRefused();
    @Module({ controllers: [PingController] })
    class Bare {}
    const app = await NestFactory.create(Bare, { logger: false, bodyParser: false });
    await configureHttpApp(app, 'bare');
    await app.init();

    await request(app.getHttpServer()).get('/ping').expect(200, { pong: true });
    const refused = await request(app.getHttpServer()).post('/ping').set('Content-Type', 'application/json').send('{"a":1,"a":2}');
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'a', rule: 'no-duplicate-keys' }]);
    expect(exit).not.toHaveBeenCalled();
    await app.close();
  });

  it('logs every request through the composition’s logger when it has one', async () => {
    const lines: string[] = [];
    const logger = createPinoLogger({ level: 'log', destination: { write: (chunk: string) => void lines.push(chunk) } });
    @Module({ imports: [LoggingModule.forRoot(logger)], controllers: [PingController] })
    class Logged {}
    const app = await NestFactory.create(Logged, { logger: false, bodyParser: false });
    await configureHttpApp(app, 'logged');
    await app.init();

    await request(app.getHttpServer()).get('/ping').expect(200);
    const logged = lines.map((line) => JSON.parse(line) as { route?: string; res?: { statusCode?: number } });
    expect(logged).toContainEqual(expect.objectContaining({ route: '/ping', res: { statusCode: 200 } }));
    await app.close();
  });
});
