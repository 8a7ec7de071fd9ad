import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { startTestApp, TestApp } from '../support/app';
import { rawRequest, RawResponse } from '../support/raw-http';
import {
  adverseEventBody,
  assessmentBody,
  enrolmentBody,
  infusionBody,
  labBody,
  NOW,
  neurographyBody,
  siteBody,
  trialWithSites,
  withdrawalBody,
} from '../ingest/site-api';

/**
 * A hostile client against every route of the composed platform: malformed bodies, hostile text,
 * wrong media types, odd path and query parameters. Nothing may answer 5xx, every 4xx has the one
 * error shape, and nothing refused is stored. Reproduce a failure with FUZZ_SEED=<seed printed>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

interface Operation {
  method: 'GET' | 'POST';
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

function operationsOf(document: OpenAPIObject): Operation[] {
  const schemas = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []) as Array<{ name: string; in: string }>;
      const ref = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.[
        'application/json'
      ]?.schema?.$ref;
      const schema = ref ? (schemas[ref.split('/').pop()!] as { properties?: object }) : undefined;
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return operations;
}

/** Text a careless or hostile client sends. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    'S01-0001\u0000',
    'a\ud800b',
    '\udc00',
    '\ud83d',
    '😀',
    '%00',
    '%',
    '%E0%A4%A',
    '../../etc/passwd',
    '__proto__',
    'constructor',
    "'; DROP TABLE events; --",
    'x'.repeat(5000),
    ' ',
    '',
    'S01',
    'S01-0001',
    '2026-03-09',
    '-1',
    '1e309',
    'NaN',
    'null',
  ),
);
const anyValue = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, Number.MAX_VALUE, -1, 0, 2 ** 53, true, false, null),
  fc.jsonValue({ maxDepth: 3 }),
);
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty');

/** Valid bodies for the submission routes, to mutate one field at a time. */
const VALID_BODIES: Array<[RegExp, () => Record<string, unknown>]> = [
  [/\/labs$/, labBody],
  [/\/infusions$/, infusionBody],
  [/\/assessments$/, assessmentBody],
  [/\/adverse-events$/, adverseEventBody],
  [/\/withdrawal$/, withdrawalBody],
  [/\/neurography$/, neurographyBody],
  [/^\/sites\/\{siteId\}\/patients$/, () => enrolmentBody(String(Math.floor(Math.random() * 9000) + 1000))],
  [/^\/sites$/, () => siteBody('S09')],
];

interface Case {
  operation: Operation;
  token: number;
  pathValues: Array<{ value: string; raw: boolean }>;
  query: Array<[string, string]>;
  contentType: string | undefined;
  body: { kind: 'text'; text: string } | { kind: 'none' };
}

function bodyFor(operation: Operation): fc.Arbitrary<Case['body']> {
  const fields = [...operation.bodyFields, 'submissionId', 'extra'];
  const valid = VALID_BODIES.find(([pattern]) => pattern.test(operation.path))?.[1];
  const text = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((t) => ({ kind: 'text' as const, text: t }));
  return fc.oneof(
    { weight: 4, arbitrary: text(fc.dictionary(fc.constantFrom(...fields), anyValue, { maxKeys: 8 }).map((o) => JSON.stringify(o))) },
    {
      weight: valid ? 4 : 0,
      arbitrary: text(
        fc
          .tuple(fc.constantFrom(...fields), anyValue)
          .map(([field, value]) => JSON.stringify({ ...(valid ? valid() : {}), [field]: value })),
      ),
    },
    { weight: valid ? 1 : 0, arbitrary: text(fc.constant(null).map(() => JSON.stringify(valid ? valid() : {}))) },
    {
      weight: 1,
      arbitrary: text(
        fc.tuple(protoKey, anyValue).map(([key, value]) => `{"submissionId":"x","${key}":${JSON.stringify(value) ?? 'null'}}`),
      ),
    },
    { weight: 1, arbitrary: text(fc.constantFrom(...fields).map((field) => `{"${field}":1,"${field}":2}`)) },
    {
      weight: 1,
      arbitrary: text(fc.integer({ min: 30, max: 20_000 }).map((depth) => `{"submissionId":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
    },
    { weight: 1, arbitrary: text(fc.string({ maxLength: 60 })) },
    { weight: 1, arbitrary: text(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v))) },
    {
      weight: 1,
      arbitrary: text(
        fc.constantFrom(`{"csv":"${'a'.repeat(110 * 1024)}"}`, '{"a":"\\u0000"}', '{"a":"\\ud800"}', '\ufeff{}', '{"a":1}garbage'),
      ),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
}

function caseArbitrary(operations: Operation[], tokens: number): fc.Arbitrary<Case> {
  return fc.constantFrom(...operations).chain((operation) =>
    fc.record({
      operation: fc.constant(operation),
      token: fc.nat({ max: tokens - 1 }),
      pathValues: fc.tuple(
        ...operation.pathParams.map(() =>
          fc.record({
            value: fc.oneof({ weight: 2, arbitrary: fc.constantFrom('S01', 'S01-0001', 'DM', 'monitoring', 'registry') }, hostileText),
            raw: fc.boolean(),
          }),
        ),
      ),
      query: fc.array(
        fc.tuple(fc.oneof(fc.constantFrom(...operation.queryParams, 'limit', 'offset', 'x', '__proto__'), hostileText), hostileText),
        {
          maxLength: 3,
        },
      ),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            undefined,
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/merge-patch+json',
          ),
        },
      ),
      body: operation.method === 'POST' ? bodyFor(operation) : fc.constant({ kind: 'none' as const }),
    }),
  );
}

/** Percent-encodes what a URL can carry; a lone surrogate goes as the bytes a careless client would send. */
function encodePathValue({ value, raw }: { value: string; raw: boolean }): string {
  if (raw && /^[\x21-\x7e]*$/.test(value) && !/[/?#]/.test(value)) return value;
  return [...value]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');
}

function urlOf(c: Case): string {
  let index = 0;
  const path = c.operation.path.replace(/\{[^}]+\}/g, () => encodePathValue(c.pathValues[index++]) || 'x');
  const query = c.query
    .map(([k, v]) => `${encodePathValue({ value: k, raw: false })}=${encodePathValue({ value: v, raw: false })}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

function expectErrorShape(response: RawResponse, c: Case): void {
  let body: { error?: unknown; message?: unknown; details?: unknown };
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new Error(`${response.status} without a JSON body for ${describeCase(c)}: ${response.body.slice(0, 200)}`);
  }
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
  expect(Array.isArray(body.details) && body.details.length > 0).toBe(true);
  for (const detail of body.details as Array<{ field: unknown; rule: unknown }>) {
    expect(typeof detail.field).toBe('string');
    expect(typeof detail.rule).toBe('string');
  }
}

function describeCase(c: Case): string {
  return `${c.operation.method} ${urlOf(c)} [${c.contentType}] ${c.body.kind === 'text' ? c.body.text.slice(0, 300) : ''}`;
}

describe('a hostile client gets a 4xx in the one error shape, never a 5xx, and stores nothing', () => {
  let app: TestApp;
  let baseUrl: string;
  let tokens: Array<string | undefined>;
  let operations: Operation[];
  // The newest committed position: any stored event, refused request or not, moves it (an index read, not a count).
  const eventCount = async () =>
    String((await app.dataSource.query('SELECT max(global_position)::text AS n FROM event_store.events'))[0].n);

  beforeAll(async () => {
    app = await startTestApp([IngestModule, MonitoringModule, AnalysisModule, AuditModule], { now: NOW });
    const { admin, coordinators } = await trialWithSites(app, ['S01']);
    await app
      .http()
      .post('/allocation/generate')
      .set('Authorization', admin)
      .send({ seed: 'fuzz', strata: ['S01'], blockSizes: [4], kitsPerStratum: 8 })
      .expect(201);
    await app.http().post('/sites/S01/patients').set('Authorization', coordinators.S01).send(enrolmentBody('0001')).expect(201);
    tokens = [
      undefined,
      'Bearer not-a-key',
      admin,
      coordinators.S01,
      await app.userToken('monitor', ['S01']),
      await app.userToken('auditor'),
      await app.userToken('blinded_statistician'),
      await app.userToken('unblinded_statistician'),
    ];
    const server = app.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    operations = operationsOf(SwaggerModule.createDocument(app.app, new DocumentBuilder().build()));
  });
  afterAll(() => app?.close());

  describe('the refusals a hostile client meets first', () => {
    const lab = (text: string, headers: Record<string, string> = { 'content-type': 'application/json' }, token = tokens[3]) =>
      rawRequest(baseUrl, 'POST', '/patients/S01-0001/labs', { ...headers, ...(token ? { authorization: token } : {}) }, text);
    const refusal = (response: RawResponse) => ({ status: response.status, details: JSON.parse(response.body).details });
    const validLab = () => labBody();

    it.each([
      [
        'a body over 100 kB',
        () => lab(JSON.stringify({ ...validLab(), comment: 'x'.repeat(110 * 1024) })),
        413,
        { field: 'body', rule: 'max-size' },
      ],
      [
        'a Latin-1 body',
        () => lab(JSON.stringify(validLab()), { 'content-type': 'application/json; charset=latin1' }),
        415,
        { field: 'content-type', rule: 'application-json-utf-8' },
      ],
      [
        'a form body',
        () => lab('a=1', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        { field: 'content-type', rule: 'application-json-utf-8' },
      ],
      [
        'arrays nested 10,000 deep',
        () => lab(`{"value":${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
        400,
        { field: `value${'[0]'.repeat(31)}`, rule: 'max-depth' },
      ],
      [
        'a NUL in a text field',
        () => lab(JSON.stringify({ ...validLab(), analyte: 'IG\u0000M' }).replace('\\\\u0000', '\\u0000')),
        400,
        { field: 'analyte', rule: 'no-control-characters' },
      ],
      [
        'a lone surrogate in a text field',
        () => lab(JSON.stringify({ ...validLab(), unit: 'PLACEHOLDER' }).replace('PLACEHOLDER', 'a\\ud800b')),
        400,
        { field: 'unit', rule: 'well-formed-unicode' },
      ],
      [
        'a duplicate key',
        () => lab(JSON.stringify(validLab()).replace('{', '{"value":1,')),
        400,
        { field: 'value', rule: 'no-duplicate-keys' },
      ],
      ['invalid JSON', () => lab('{"value":'), 400, { field: 'body', rule: 'valid-json' }],
      [
        'invalid UTF-8',
        () =>
          rawRequest(
            baseUrl,
            'POST',
            '/patients/S01-0001/labs',
            { 'content-type': 'application/json', authorization: tokens[3]! },
            Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
          ),
        400,
        { field: 'body', rule: 'utf-8' },
      ],
    ])('refuses %s in the one error shape and stores nothing', async (_what, send, status, detail) => {
      const before = await eventCount();
      expect(refusal(await send())).toEqual({ status, details: [detail] });
      expect(await eventCount()).toBe(before);
    });

    it.each(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'])(
      'refuses the key %s like any unknown field',
      async (key) => {
        const before = await eventCount();
        expect(refusal(await lab(JSON.stringify(validLab()).replace('{', `{"${key}":{"polluted":true},`)))).toEqual({
          status: 400,
          details: [{ field: key, rule: 'unknown-field' }],
        });
        expect(await eventCount()).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    );

    it('answers a NUL in a patient id in the path with a 400, not a database error', async () => {
      const response = await rawRequest(baseUrl, 'GET', '/patients/S01-0001%00/events', { authorization: tokens[3]! });
      expect(refusal(response)).toEqual({ status: 400, details: [{ field: 'path', rule: 'no-control-characters' }] });
    });

    it('names the field and the rule in guard refusals and for unknown routes', async () => {
      const forbidden = await rawRequest(
        baseUrl,
        'POST',
        '/sites',
        { 'content-type': 'application/json', authorization: tokens[3]! },
        JSON.stringify(siteBody('S07')),
      );
      expect(refusal(forbidden)).toEqual({ status: 403, details: [{ field: 'role', rule: 'permission' }] });
      const unauthenticated = await rawRequest(baseUrl, 'GET', '/patients/S01-0001/events', {});
      expect(refusal(unauthenticated)).toEqual({ status: 401, details: [{ field: 'authorization', rule: 'valid-credentials' }] });
      const unknown = await rawRequest(baseUrl, 'GET', '/no/such/route', { authorization: tokens[3]! });
      expect(refusal(unknown)).toEqual({ status: 404, details: [{ field: 'path', rule: 'known-route' }] });
    });
  });

  it('covers every POST route and every path and query parameter of the composed platform', () => {
    expect(operations.filter((o) => o.method === 'POST').length).toBeGreaterThanOrEqual(24);
    expect(operations.filter((o) => o.pathParams.length > 0).length).toBeGreaterThan(10);
  });

  it(`answers ${RUNS} generated requests (seed ${SEED}) without a 5xx`, async () => {
    const statuses = new Map<number, number>();
    const timings: Array<[string, number]> = [];
    await fc.assert(
      fc.asyncProperty(caseArbitrary(operations, tokens.length), async (c) => {
        const before = await eventCount();
        const headers: Record<string, string> = {};
        if (tokens[c.token]) headers.authorization = tokens[c.token]!;
        if (c.contentType) headers['content-type'] = c.contentType;
        const started = Date.now();
        const response = await rawRequest(baseUrl, c.operation.method, urlOf(c), headers, c.body.kind === 'text' ? c.body.text : undefined);
        timings.push([`${c.operation.method} ${c.operation.path} ${response.status}`, Date.now() - started]);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) throw new Error(`${response.status} for ${describeCase(c)}: ${response.body.slice(0, 300)}`);
        if (response.status >= 400) {
          expectErrorShape(response, c);
          expect(await eventCount()).toBe(before);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}) },
    );
    timings.sort((a, b) => b[1] - a[1]);
    if (process.env.FUZZ_TIMINGS) console.log(timings.slice(0, 15));
    // The suite must reach past the guards and the validation, not only bounce off them.
    if (RUNS >= 5000) expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 201, 400, 401, 403, 404, 413, 415]));
  }, 240_000);
});
