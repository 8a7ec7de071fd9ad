import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp } from '@trialstream/api-common';
import { PLATFORM_CONFIG, shippedProtocolFile } from '@trialstream/config';
import { LAB_ANALYTES } from '@trialstream/domain';
import { loadProtocolFile } from '@trialstream/protocol';
import Ajv, { type ValidateFunction } from 'ajv';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ReadModelChangesModule } from '../../apps/platform/src/read-model-changes';
import { Relay } from '../../apps/relay/src/relay';
import { RelayHealthController } from '../../apps/relay/src/relay-health.controller';
import { ALLOCATION_CSV, buildPatient, NOW, PATIENTS } from '../analysis/analysis-scenario';
import { labBody, siteBody, submission, withdrawalBody } from '../ingest/site-api';
import { PLATFORM_FEATURES, startTestApp, TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';

/**
 * The OpenAPI document served at /docs/openapi.json against the platform's behaviour: every operation
 * documented with a summary and a schema for every answer; every documented default applied when the
 * field is left out; every documented lab unit accepted and any other refused; and every answer of a
 * seeded platform, each operation called at least once, valid against the schema the document gives it.
 */

/** What class-validator records per decorator (its own type is not exported). */
interface ValidationMetadata {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
}

interface PropertySchema {
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  items?: { enum?: unknown[] };
  'x-units-by-analyte'?: Record<string, string[]>;
}

interface Operation {
  key: string;
  method: string;
  path: string;
  pattern: RegExp;
  literalSegments: number;
  spec: OperationObject;
}

interface Call {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: unknown;
}

const PASSWORD = 'correct horse battery staple';
const JSON_TYPE = 'application/json';
const SUCCESS = /^2\d\d$/;
/** Only the served document itself is not part of the API it documents. */
const UNDOCUMENTED = new Set(['GET /docs/openapi.json']);

/** Every validator class-validator knows, by class name (the OpenAPI schema names are the DTO class names). */
function validatorsByClass(): Map<string, ValidationMetadata[]> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, ValidationMetadata[]> };
  const byName = new Map<string, ValidationMetadata[]>();
  for (const [target, metadata] of storage.validationMetadatas) byName.set(target.name, [...(byName.get(target.name) ?? []), ...metadata]);
  return byName;
}

function operationsOf(document: OpenAPIObject): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const spec = item[method];
      if (!spec) continue;
      const source = path
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
        .join('');
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${source}$`),
        literalSegments: path.split('/').filter((segment) => segment !== '' && !segment.includes('{')).length,
        spec,
      });
    }
  }
  return operations;
}

/** The operation a concrete request reached: of several templates that fit, the most literal (as Express routes them). */
function operationOf(operations: Operation[], method: string, url: string): Operation | undefined {
  const path = url.split('?')[0];
  return operations
    .filter((operation) => operation.method === method && operation.pattern.test(path))
    .sort((a, b) => b.literalSegments - a.literalSegments)[0];
}

const OPENAPI_ONLY_KEYWORDS = new Set([
  'example',
  'examples',
  'xml',
  'externalDocs',
  'discriminator',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a union with null, and an object that
 * lists its properties admits no others (an answer carrying an undocumented field is drift too).
 */
function toJsonSchema(node: unknown, refPrefix: string): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, refPrefix));
  if (node === null || typeof node !== 'object') return node;
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'nullable' || key.startsWith('x-') || OPENAPI_ONLY_KEYWORDS.has(key)) continue;
    if (key === 'properties') {
      schema.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, property]) => [name, toJsonSchema(property, refPrefix)]),
      );
    } else if (key === '$ref') {
      schema.$ref = String(value).replace('#/components/schemas/', `${refPrefix}#/definitions/`);
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'oneOf', 'anyOf'].includes(key)) {
      schema[key] = toJsonSchema(value, refPrefix);
    } else {
      schema[key] = value;
    }
  }
  if (schema.properties !== undefined && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return (node as { nullable?: boolean }).nullable ? { anyOf: [schema, { type: 'null' }] } : schema;
}

function schemaValidator(document: OpenAPIObject): (schema: SchemaObject | ReferenceObject) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('password', () => true);
  const definitions = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema, '')]);
  ajv.addSchema({ $id: 'openapi', definitions: Object.fromEntries(definitions) });
  const compiled = new Map<unknown, ValidateFunction>();
  return (schema) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema, 'openapi') as object);
      compiled.set(schema, validate);
    }
    return validate;
  };
}

const refName = (schema: unknown): string | undefined => (schema as ReferenceObject | undefined)?.$ref?.split('/').pop();

/** What the document lacks: a summary, a success, a schema, the one error shape, the security schemes. */
function documentProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const { key, spec } of operationsOf(document)) {
    if (!spec.summary?.trim()) problems.push(`${key}: no summary`);
    const statuses = Object.keys(spec.responses);
    if (!statuses.some((status) => SUCCESS.test(status))) problems.push(`${key}: no success answer`);
    if (!statuses.includes('400')) problems.push(`${key}: no 400`);
    for (const [status, response] of Object.entries(spec.responses)) {
      const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
      if (status === '204') {
        if (content) problems.push(`${key} 204: has a body`);
        continue;
      }
      if (!content || Object.keys(content).length === 0) problems.push(`${key} ${status}: no content`);
      for (const [mediaType, { schema }] of Object.entries(content ?? {})) {
        if (!schema) problems.push(`${key} ${status} ${mediaType}: no schema`);
        const name = refName(schema) ?? refName((schema as SchemaObject | undefined)?.items);
        if (name && !document.components?.schemas?.[name]) problems.push(`${key} ${status}: schema ${name} is not in the document`);
        const isHealthReport = key.startsWith('GET /health/') && status === '503';
        if (/^[45]/.test(status) && !isHealthReport && (mediaType !== JSON_TYPE || name !== 'ErrorBodyView'))
          problems.push(`${key} ${status}: not the one error shape`);
      }
    }
    const secured = (spec.security ?? []).map((requirement) => Object.keys(requirement).join());
    if (secured.length > 0 && secured.sort().join() !== 'bearer,session') problems.push(`${key}: security ${secured.join()}`);
    if (secured.length > 0 && !statuses.includes('401')) problems.push(`${key}: secured, but no 401`);
  }
  return problems;
}

/** A relay's health route alone, over a relay that has published: what `npm run start:relay` serves at /health. */
@Module({
  controllers: [RelayHealthController],
  providers: [
    {
      provide: Relay,
      useValue: {
        metrics: {
          running: true,
          role: 'leader',
          lastPublished: { transactionId: '7', globalPosition: '42' },
          lastPublishedAt: NOW.toISOString(),
          eventsPublished: 42,
          pagesPublished: 3,
          reads: 5,
          consecutiveFailures: 0,
          lastError: null,
          lastProgressAt: Date.now(),
        },
      },
    },
    { provide: PLATFORM_CONFIG, useValue: { relayStalledAfterMs: 60_000 } },
  ],
})
class RelayHealthOnly {}

describe('the OpenAPI document says what the platform does', () => {
  let app: TestApp;
  let document: OpenAPIObject;
  let operations: Operation[];
  let schemas: Record<string, { properties?: Record<string, PropertySchema>; required?: string[] }>;
  const calls: Call[] = [];
  let lastPosition = '0';
  const tokens: Record<string, string> = {};

  /** A supertest client whose every answer is kept, to be checked against the document. */
  const client = (agent = request(app.app.getHttpServer())) => {
    const track = (test: request.Test, method: string, url: string): request.Test =>
      test.on('response', (res: request.Response) => {
        const body: unknown = res.body;
        const position = (body as { position?: unknown } | null)?.position;
        if (typeof position === 'string' && BigInt(position) > BigInt(lastPosition)) lastPosition = position;
        calls.push({ method, url, status: res.status, contentType: String(res.headers['content-type'] ?? ''), body });
      });
    return {
      get: (url: string) => track(agent.get(url), 'GET', url),
      post: (url: string) => track(agent.post(url), 'POST', url),
      delete: (url: string) => track(agent.delete(url), 'DELETE', url),
    };
  };
  const api = () => client();
  const as = (token: string) => ({
    get: (url: string) => api().get(url).set('Authorization', token),
    post: (url: string, body: object = {}) => api().post(url).set('Authorization', token).send(body),
    delete: (url: string) => api().delete(url).set('Authorization', token),
  });
  /** A read from a read model, after every event written so far (the documented `X-Min-Position`). */
  const fresh = (read: request.Test) => read.set('X-Min-Position', lastPosition);

  beforeAll(async () => {
    app = await startTestApp([...PLATFORM_FEATURES, ReadModelChangesModule], { now: NOW, config: { minPositionWaitMs: 60_000 } });
    document = (await request(app.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body as OpenAPIObject;
    operations = operationsOf(document);
    schemas = document.components?.schemas as typeof schemas;
    for (const role of ['administrator', 'auditor', 'blinded_statistician', 'unblinded_statistician', 'safety_board'] as const) {
      tokens[role] = await app.userToken(role);
    }
    tokens.coordinator = await app.userToken('site_coordinator', ['S01']);
    tokens.monitor = await app.userToken('monitor', ['S01', 'S02']);
  });
  afterAll(() => app?.close());

  it('has a summary for every operation, a schema for every answer, and the one error shape for every refusal', () => {
    expect(operations.length).toBeGreaterThan(75);
    expect(documentProblems(document)).toEqual([]);
    // an opaque API key (not a JWT), or a person's session cookie
    expect(document.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'API key' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'trialstream_session' }),
    });
  });

  it("documents a relay's health the same way, and its answer validates", async () => {
    const relay = await NestFactory.create(RelayHealthOnly, { logger: false, bodyParser: false, abortOnError: false });
    await configureHttpApp(relay, 'trialstream relay (test)');
    await relay.init();
    try {
      const served = (await request(relay.getHttpServer()).get('/docs/openapi.json').expect(200)).body as OpenAPIObject;
      expect(documentProblems(served)).toEqual([]);
      const answer = await request(relay.getHttpServer()).get('/health').expect(200);
      const documented = served.paths['/health'].get?.responses['200'] as { content: Record<string, { schema: SchemaObject }> };
      const validate = schemaValidator(served)(documented.content[JSON_TYPE].schema);
      expect({ valid: validate(answer.body), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    } finally {
      await relay.close();
    }
  });

  it('has, for every documented field, the same enum, bounds and optionality as its validators', () => {
    const validators = validatorsByClass();
    const mismatches: string[] = [];
    let compared = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      const metadata = validators.get(name);
      if (!metadata) continue;
      for (const [property, documented] of Object.entries(schema.properties ?? {})) {
        const rules = metadata.filter((m) => m.propertyName === property);
        if (rules.length === 0) continue;
        compared++;
        const constraint = (type: string) => rules.find((m) => m.name === type || m.type === type)?.constraints?.[0] as unknown;
        const isIn = constraint('isIn') as unknown[] | undefined;
        const documentedEnum = documented.enum ?? documented.items?.enum;
        if (isIn && JSON.stringify([...isIn].sort()) !== JSON.stringify([...(documentedEnum ?? [])].sort())) {
          mismatches.push(`${name}.${property}: enum ${JSON.stringify(documentedEnum)} documented, ${JSON.stringify(isIn)} accepted`);
        }
        const min = constraint('min') as number | undefined;
        if (min !== undefined && documented.minimum !== undefined && documented.minimum !== min)
          mismatches.push(`${name}.${property}: minimum ${documented.minimum} documented, ${min} accepted`);
        const max = constraint('max') as number | undefined;
        if (max !== undefined && documented.maximum !== undefined && documented.maximum !== max)
          mismatches.push(`${name}.${property}: maximum ${documented.maximum} documented, ${max} accepted`);
        const optional = rules.some((m) => m.type === 'conditionalValidation');
        const required = (schema.required ?? []).includes(property);
        if (optional === required)
          mismatches.push(
            `${name}.${property}: ${required ? 'required' : 'optional'} documented, ${optional ? 'optional' : 'required'} validated`,
          );
        if (documented.default !== undefined && !optional) mismatches.push(`${name}.${property}: a default on a required field`);
      }
    }
    expect(compared).toBeGreaterThan(50);
    expect(mismatches).toEqual([]);
  });

  describe('on a seeded platform', () => {
    const admin = () => as(tokens.administrator);
    const coordinator = () => as(tokens.coordinator);
    let person: { userId: string; username: string; activationCode: string };

    beforeAll(async () => {
      for (const siteId of ['S01', 'S02']) await admin().post('/sites', siteBody(siteId)).expect(201);
      await admin().post('/allocation/import', { csv: ALLOCATION_CSV }).expect(201);
      const trackedApp = { ...app, http: () => api() as unknown as ReturnType<TestApp['http']> };
      for (const plan of PATIENTS.filter((candidate) => candidate.site === 'S01')) await buildPatient(trackedApp, tokens.coordinator, plan);
      await coordinator()
        .post('/patients/S01-06/withdrawal', withdrawalBody({ occurredAt: '2026-10-01' }))
        .expect(201);
    }, 600_000);

    it('applies every documented default when the field is left out', async () => {
      const pageDefault = (url: string, token: string, field: 'limit' | 'offset') => async () =>
        ((await fresh(as(token).get(url)).expect(200)).body as Record<string, unknown>)[field];
      const probes: Record<string, () => Promise<unknown>> = {
        'GET /monitoring/sites/{siteId}/patients ?limit': pageDefault('/monitoring/sites/S01/patients', tokens.monitor, 'limit'),
        'GET /monitoring/sites/{siteId}/patients ?offset': pageDefault('/monitoring/sites/S01/patients', tokens.monitor, 'offset'),
        'GET /monitoring/sites/{siteId}/deviations ?limit': pageDefault('/monitoring/sites/S01/deviations', tokens.monitor, 'limit'),
        'GET /monitoring/sites/{siteId}/deviations ?offset': pageDefault('/monitoring/sites/S01/deviations', tokens.monitor, 'offset'),
        'GET /monitoring/sites/{siteId}/queries ?limit': pageDefault('/monitoring/sites/S01/queries', tokens.monitor, 'limit'),
        'GET /monitoring/sites/{siteId}/queries ?offset': pageDefault('/monitoring/sites/S01/queries', tokens.monitor, 'offset'),
        'GET /registry/patients ?limit': pageDefault('/registry/patients', tokens.monitor, 'limit'),
        'GET /registry/patients ?offset': pageDefault('/registry/patients', tokens.monitor, 'offset'),
        'GET /audit/projections/{name}/as-of ?limit': pageDefault('/audit/projections/registry/as-of?position=1', tokens.auditor, 'limit'),
        'GET /audit/projections/{name}/as-of ?offset': pageDefault(
          '/audit/projections/registry/as-of?position=1',
          tokens.auditor,
          'offset',
        ),
        // the page has no `limit` of its own: the read is recorded with the limit it applied
        'GET /audit/events ?limit': async () => {
          const { horizon } = (await as(tokens.auditor).get('/audit/events').expect(200)).body as { horizon: string };
          const after = (await as(tokens.auditor).get(`/audit/events?afterPosition=${horizon}&limit=1000`).expect(200)).body as {
            events: Array<{ type: string; data: { resource?: string; detail?: { limit?: unknown; afterPosition?: unknown } } }>;
          };
          const read = after.events.find((event) => event.type === 'AccessRecorded' && event.data.resource === 'event-log');
          return read?.data.detail?.limit;
        },
        'POST /patients/{patientId}/labs .qualifier': async () => {
          const { qualifier: _left, ...withoutQualifier } = labBody({ occurredAt: '2026-10-05', value: 7 });
          const answer = await coordinator().post('/patients/S01-01/labs', withoutQualifier).expect(201);
          const eventId = (answer.body as { events: Array<{ eventId: string }> }).events[0].eventId;
          const history = (await coordinator().get('/patients/S01-01/events').expect(200)).body as Array<{ eventId: string; data: object }>;
          return (history.find((event) => event.eventId === eventId)?.data as { qualifier?: unknown }).qualifier;
        },
        'POST /users .siteIds': async () =>
          ((await admin().post('/users', { name: 'Ida Auditor', role: 'auditor' }).expect(201)).body as { siteIds: unknown }).siteIds,
      };

      const documented = new Map<string, unknown>();
      for (const { key, spec } of operations) {
        for (const parameter of (spec.parameters ?? []) as ParameterObject[]) {
          const fallback = (parameter.schema as SchemaObject | undefined)?.default;
          if (fallback !== undefined) documented.set(`${key} ?${parameter.name}`, fallback);
        }
        const body = (spec.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[JSON_TYPE]?.schema;
        for (const [field, property] of Object.entries(schemas[refName(body) ?? '']?.properties ?? {})) {
          if (property.default !== undefined) documented.set(`${key} .${field}`, property.default);
        }
      }
      expect([...documented.keys()].sort()).toEqual(Object.keys(probes).sort());
      const applied: Record<string, unknown> = {};
      for (const [key, probe] of Object.entries(probes)) applied[key] = await probe();
      expect(applied).toEqual(Object.fromEntries(documented));
    });

    it('accepts every documented lab unit of each analyte and refuses any other, naming the field and the rule', async () => {
      const labSchema = refName(
        (document.paths['/patients/{patientId}/labs'].post?.requestBody as { content: Record<string, { schema: unknown }> }).content[
          JSON_TYPE
        ].schema,
      );
      const unitsByAnalyte = schemas[labSchema ?? '']?.properties?.unit?.['x-units-by-analyte'] ?? {};
      expect(Object.keys(unitsByAnalyte).sort()).toEqual([...LAB_ANALYTES].sort());
      // the UCUM spellings of a cell count are documented, as issue 10 asks
      expect(unitsByAnalyte.CD19).toEqual(expect.arrayContaining(['cells/µL', 'cells/uL', '/uL', '10*9/L']));

      const refusals: string[] = [];
      for (const [analyte, units] of Object.entries(unitsByAnalyte)) {
        for (const unit of units) {
          const res = await coordinator().post('/patients/S01-02/labs', labBody({ occurredAt: '2026-10-06', analyte, unit, value: 5 }));
          if (res.status !== 201) refusals.push(`${analyte} in ${unit}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const otherAnalytes = Object.values(unitsByAnalyte).flat();
        for (const unit of ['stones', ...otherAnalytes.filter((other) => !units.includes(other))]) {
          const res = await coordinator().post('/patients/S01-02/labs', labBody({ occurredAt: '2026-10-06', analyte, unit, value: 5 }));
          expect({ analyte, unit, status: res.status, details: (res.body as { details: unknown }).details }).toEqual({
            analyte,
            unit,
            status: 422,
            details: [{ field: 'unit', rule: 'unit-not-allowed' }],
          });
        }
      }
      expect(refusals).toEqual([]);
    });

    it('documents the units every shipped protocol file accepts', () => {
      const labSchema = schemas.RecordLabResultDto?.properties?.unit?.['x-units-by-analyte'];
      for (const name of ['pilot', 'placebo'] as const) {
        const loaded = loadProtocolFile(shippedProtocolFile(name));
        if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded.problems)}`);
        const units = Object.fromEntries(LAB_ANALYTES.map((analyte) => [analyte, Object.keys(loaded.definition.labs[analyte].units)]));
        expect({ name, units }).toEqual({ name, units: labSchema });
      }
    });

    it('calls every operation of the document', async () => {
      const sites = () => as(tokens.monitor);
      const auditor = () => as(tokens.auditor);

      // allocation: one list per trial
      await admin().get('/allocation').expect(200);
      const generation = { seed: 'contract', strata: ['S01'], blockSizes: [4], kitsPerStratum: 4 };
      await admin().post('/allocation/generate', generation).expect(409);
      // a trial has one list, loaded above by import: generating one takes a trial of its own
      const other = await startTestApp([IngestModule, AnalysisModule], { now: NOW });
      try {
        const otherAdmin = await other.userToken('administrator');
        const otherApi = client(request(other.app.getHttpServer()));
        await otherApi.post('/sites').set('Authorization', otherAdmin).send(siteBody('S01')).expect(201);
        await otherApi.post('/allocation/generate').set('Authorization', otherAdmin).send(generation).expect(201);
      } finally {
        await other.close();
      }

      // the monitor's workflow on an infusion of S01-01
      const history = (await coordinator().get('/patients/S01-01/events').expect(200)).body as Array<{ eventId: string; type: string }>;
      const infusion = history.find((event) => event.type === 'InfusionGiven')!.eventId;
      const raise = async () =>
        (
          (
            await sites()
              .post('/patients/S01-01/queries', {
                ...submission(),
                targetEventId: infusion,
                field: 'administeredDoseMg',
                text: 'Please check.',
              })
              .expect(201)
          ).body as { queryId: string }
        ).queryId;
      const answered = await raise();
      await coordinator()
        .post(`/patients/S01-01/queries/${answered}/answer`, { ...submission(), text: 'Checked: as recorded.' })
        .expect(201);
      await sites().post(`/patients/S01-01/queries/${answered}/close`, submission()).expect(201);
      const cancelled = await raise();
      await sites()
        .post(`/patients/S01-01/queries/${cancelled}/cancel`, { ...submission(), reason: 'Raised twice' })
        .expect(201);
      const reopened = await raise();
      await coordinator()
        .post(`/patients/S01-01/queries/${reopened}/answer`, { ...submission(), text: 'As recorded.' })
        .expect(201);
      await sites()
        .post(`/patients/S01-01/queries/${reopened}/reopen`, { ...submission(), text: 'The log says otherwise.' })
        .expect(201);
      await sites()
        .post('/patients/S01-01/source-data-verifications', { ...submission(), targetEventId: infusion })
        .expect(201);
      await coordinator().post('/patients/S01-01/labs', labBody()).expect(201);
      await coordinator().post('/patients/NOPE-0001/labs', labBody()).expect(404);

      // a person: activation, session, signature, password change, logout; then an administrator's reset
      person = (
        await admin()
          .post('/users', { username: 'ivy.investigator', name: 'Ivy Investigator', role: 'investigator', siteIds: ['S01'] })
          .expect(201)
      ).body as typeof person;
      await api()
        .post('/auth/activate')
        .send({ username: person.username, activationCode: person.activationCode, password: PASSWORD })
        .expect(204);
      const browser = client(request.agent(app.app.getHttpServer()));
      const login = await browser.post('/auth/login').send({ username: person.username, password: PASSWORD }).expect(200);
      const csrf = (login.body as { csrfToken: string }).csrfToken;
      await browser.get('/auth/session').expect(200);
      await browser
        .post('/patients/S01-01/signatures')
        .set('X-CSRF-Token', csrf)
        .send({ submissionId: 'sign-1', meaning: 'review', scope: { kind: 'casebook' }, username: person.username, password: PASSWORD })
        .expect(201);
      await browser.get('/patients/S01-01/signatures').expect(200);
      await browser.get('/me').expect(200);
      await browser
        .post('/auth/password')
        .set('X-CSRF-Token', csrf)
        .send({ currentPassword: PASSWORD, newPassword: `${PASSWORD}!` })
        .expect(204);
      await browser.post('/auth/logout').set('X-CSRF-Token', csrf).expect(204);
      await api().post('/auth/login').send({ username: person.username, password: 'wrong' }).expect(401);
      await admin().get('/users').expect(200);
      await admin().post(`/users/${person.userId}/password-reset`).expect(201);
      const keyUser = (
        await admin()
          .post('/users', { name: 'Leo Leaving', role: 'monitor', siteIds: ['S01'] })
          .expect(201)
      ).body as { userId: string };
      await admin().post(`/users/${keyUser.userId}/deactivation`).expect(204);

      // machine keys
      const expiresAt = new Date(NOW.getTime() + 30 * 86_400_000).toISOString();
      const key = (
        await admin()
          .post('/api-keys', {
            name: 'Lab system S01',
            role: 'site_coordinator',
            siteIds: ['S01'],
            scopes: ['submit-clinical-data'],
            expiresAt,
          })
          .expect(201)
      ).body as { id: string };
      await admin().get('/api-keys').expect(200);
      await admin().delete(`/api-keys/${key.id}`).expect(204);

      // the protocol, the trial, an emergency code-break
      await coordinator().get('/protocol/versions').expect(200);
      const file = readFileSync(shippedProtocolFile('placebo'), 'utf8');
      await admin().post('/protocol/versions', { submissionId: 'protocol-v1', file, effectiveFrom: '2027-06-01' }).expect(201);
      await coordinator().get('/trial').expect(200);
      await coordinator().get('/trial/protocol-versions').expect(200);
      // signed by a person with a password (an API key alone is refused: 403 signed-by-a-person)
      await coordinator()
        .post('/patients/S01-02/code-break', { ...submission(), reason: 'Anaphylaxis: the physician must know' })
        .expect(403);
      const requester = await app.person('site_coordinator', ['S01']);
      await as(requester.authorization)
        .post('/patients/S01-02/code-break', { ...submission(), reason: 'Anaphylaxis: the physician must know', ...requester.credentials })
        .expect(201);

      // reads from the read models, after everything written so far
      for (const projection of PLATFORM_PROJECTIONS) await whenProjectionCaughtUp(app.dataSource, projection.schema);
      for (const url of [
        '/monitoring/sites',
        '/monitoring/sites/export.csv',
        '/monitoring/sites/S01',
        '/monitoring/sites/S01/signatures',
        '/monitoring/sites/S01/patients',
        '/monitoring/sites/S01/patients/export.csv',
        '/monitoring/sites/S01/deviations',
        '/monitoring/sites/S01/deviations/export.csv',
        '/monitoring/sites/S01/queries',
        '/monitoring/sites/S01/queries/export.csv',
        '/registry/patients',
        '/registry/sites',
      ])
        await fresh(sites().get(url)).expect(200);
      await fresh(auditor().get('/monitoring/sites/S09')).expect(404);
      const statistician = () => as(tokens.blinded_statistician);
      for (const url of ['/analysis/protocol', '/analysis/patients', '/analysis/endpoints', '/analysis/safety', '/analysis/dataset.csv'])
        await fresh(statistician().get(url)).expect(200);
      await fresh(statistician().get('/analysis/endpoints?visit=nowhere')).expect(400);
      await fresh(as(tokens.safety_board).get('/analysis/safety/by-arm')).expect(200);
      await fresh(as(tokens.unblinded_statistician).get('/analysis/endpoints/by-arm')).expect(403);

      // the auditor's routes
      const { horizon } = (await auditor().get('/audit/events?limit=5').expect(200)).body as { horizon: string };
      await auditor().get('/audit/events.ndjson').expect(200);
      await auditor().get('/audit/patients/S01-01/history').expect(200);
      await auditor().get(`/audit/patients/S01-01/as-of?position=${horizon}`).expect(200);
      await auditor().get('/audit/patients/S01-99/history').expect(404);
      await auditor().get(`/audit/projections/monitoring/as-of?position=${horizon}&limit=3`).expect(200);
      await auditor().get('/audit/exports/odm.xml').expect(200);
      await auditor().get('/audit/exports/sdtm/DM.csv').expect(200);
      await auditor().get('/audit/checkpoints').expect(200);
      const job = (await auditor().get('/audit/verify').expect(202)).body as { jobId: string };
      for (let state = 'running'; state === 'running'; await new Promise((resolve) => setTimeout(resolve, 200))) {
        state = ((await auditor().get(`/audit/verify/${job.jobId}`).expect(200)).body as { state: string }).state;
      }

      // the operator's routes, and the browser's change feed (an endless stream: its head is enough)
      for (const url of ['/health', '/health/live', '/health/ready', '/metrics']) await api().get(url).expect(200);
      await new Promise<void>((resolve, reject) => {
        const server = app.app.getHttpServer();
        const listening = server.listening ? Promise.resolve() : new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
        void listening.then(() => {
          const { port } = server.address() as AddressInfo;
          const req = httpGet(
            { port, host: '127.0.0.1', path: '/events/stream', headers: { authorization: tokens.coordinator } },
            (res) => {
              calls.push({
                method: 'GET',
                url: '/events/stream',
                status: res.statusCode ?? 0,
                contentType: String(res.headers['content-type']),
                body: '',
              });
              req.destroy();
              resolve();
            },
          );
          req.on('error', reject);
        });
      });

      // the trial's end: freeze, lock, unblind; then the per-arm results
      const decider = await app.person('administrator');
      const signer = () => as(decider.authorization);
      await signer()
        .post('/trial/freeze', { ...submission(), reason: 'Last patient out', ...decider.credentials })
        .expect(201);
      await signer()
        .post('/trial/lock', { ...submission(), ...decider.credentials })
        .expect(201);
      await signer()
        .post('/trial/unblinding', { ...submission(), reason: 'Final analysis', ...decider.credentials })
        .expect(201);
      for (const projection of PLATFORM_PROJECTIONS) await whenProjectionCaughtUp(app.dataSource, projection.schema);
      for (const url of ['/analysis/endpoints/by-arm', '/analysis/safety/by-arm', '/analysis/patients', '/analysis/dataset.csv'])
        await fresh(as(tokens.unblinded_statistician).get(url)).expect(200);
    }, 600_000);

    it('answers 401 without credentials on every secured operation, and never on a public one', async () => {
      const urlOf = new Map<string, { method: string; url: string }>();
      for (const call of calls) {
        const operation = operationOf(operations, call.method, call.url);
        if (operation && !urlOf.has(operation.key)) urlOf.set(operation.key, call);
      }
      const wrong: string[] = [];
      for (const { key, spec } of operations) {
        const call = urlOf.get(key);
        if (!call) continue;
        const res = await (call.method === 'GET'
          ? api().get(call.url)
          : call.method === 'DELETE'
            ? api().delete(call.url)
            : api().post(call.url).send({}));
        const secured = (spec.security ?? []).length > 0;
        if (secured !== (res.status === 401)) wrong.push(`${key}: ${res.status} without credentials, ${secured ? 'secured' : 'public'}`);
      }
      expect(urlOf.size).toBe(operations.length);
      expect(wrong).toEqual([]);
    });

    it('gave, for every operation, a documented success, and every answer is one the document names, valid against its schema', () => {
      const validatorFor = schemaValidator(document);
      const problems: string[] = [];
      const exercised = new Set<string>();
      let validated = 0;
      for (const call of calls) {
        const what = `${call.method} ${call.url} -> ${call.status}`;
        const operation = operationOf(operations, call.method, call.url);
        if (!operation) {
          if (!UNDOCUMENTED.has(`${call.method} ${call.url.split('?')[0]}`)) problems.push(`${what}: no such operation in the document`);
          continue;
        }
        const documented = operation.spec.responses[String(call.status)] as
          { content?: Record<string, { schema: SchemaObject }> } | undefined;
        if (!documented) {
          problems.push(`${what}: status not documented for ${operation.key}`);
          continue;
        }
        if (SUCCESS.test(String(call.status))) exercised.add(operation.key);
        if (call.status === 204) continue;
        const mediaType = call.contentType.split(';')[0].trim();
        const content = documented.content?.[mediaType];
        if (!content) {
          problems.push(`${what}: ${mediaType} is not documented (${Object.keys(documented.content ?? {}).join(', ')})`);
          continue;
        }
        if (mediaType !== JSON_TYPE) continue;
        validated++;
        const validate = validatorFor(content.schema);
        if (!validate(call.body)) {
          const errors = (validate.errors ?? [])
            .slice(0, 5)
            .map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
          problems.push(`${what}: ${errors.join('; ')}`);
        }
      }
      expect(problems).toEqual([]);
      expect(operations.map((operation) => operation.key).filter((key) => !exercised.has(key))).toEqual([]);
      expect(validated).toBeGreaterThan(200);

      // and the check bites: an undocumented field, or a documented one missing, at any depth, fails it
      const sample = calls.find(
        (call) => call.status === 200 && operationOf(operations, call.method, call.url)?.key === 'GET /monitoring/sites/{siteId}',
      );
      const siteSchema = document.paths['/monitoring/sites/{siteId}'].get?.responses['200'] as {
        content: Record<string, { schema: SchemaObject }>;
      };
      const validate = validatorFor(siteSchema.content[JSON_TYPE].schema);
      const site = sample?.body as { siteId: string; patients: object };
      expect(validate(site)).toBe(true);
      const { siteId: _siteId, ...withoutSiteId } = site;
      expect(
        [{ ...site, undocumented: 1 }, withoutSiteId, { ...site, patients: { ...site.patients, undocumented: 1 } }].map((body) =>
          validate(body),
        ),
      ).toEqual([false, false, false]);
    });
  });
});
