'use strict';
/**
 * The HTTP ingest phase's floor: what a server answering the same lab-result POSTs costs with none of the platform's
 * work (no authentication, validation, decision, append or log line). BENCH_HTTP_FLOOR picks the server:
 * - `node_http`: node:http alone, reading each body, parsing its JSON and answering 201 with a small JSON;
 * - `nest_express`: an empty Nest route on Express, as the apps are served (Nest's JSON body parser, the path
 *   parameter and the body bound, 201 with a small JSON), logger off.
 * The ingest app's rate against `nest_express` is the share the platform's own work leaves of the framework's.
 * Plain JavaScript run as its own process, as bench/latency-app.js is; says "listening on <url>" once it listens.
 */
const http = require('node:http');

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);
const announce = (server) => console.log(`http floor listening on http://${host}:${server.address().port}`);

function nodeHttp() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = JSON.stringify({ patientId: req.url.split('/')[2], fields: Object.keys(body).length });
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(port, host, () => announce(server));
}

async function nestExpress() {
  require('reflect-metadata');
  const { Body, Controller, HttpCode, Module, Param, Post } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');

  class FloorController {
    lab(patientId, body) {
      return { patientId, fields: Object.keys(body).length };
    }
  }
  // The decorators the apps' controllers carry, applied as TypeScript would apply them.
  const lab = Object.getOwnPropertyDescriptor(FloorController.prototype, 'lab');
  Param('patientId')(FloorController.prototype, 'lab', 0);
  Body()(FloorController.prototype, 'lab', 1);
  Post('labs')(FloorController.prototype, 'lab', lab);
  HttpCode(201)(FloorController.prototype, 'lab', lab);
  Controller('patients/:patientId')(FloorController);
  class FloorModule {}
  Module({ controllers: [FloorController] })(FloorModule);

  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(port, host);
  announce(app.getHttpServer());
}

const floor = process.env.BENCH_HTTP_FLOOR;
if (floor === 'node_http') nodeHttp();
else if (floor === 'nest_express')
  nestExpress().catch((error) => {
    console.error(error);
    process.exit(1);
  });
else {
  console.error(`BENCH_HTTP_FLOOR must be node_http or nest_express, not ${floor}`);
  process.exit(2);
}
