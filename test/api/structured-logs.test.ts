import { randomUUID } from 'node:crypto';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { ALLOCATION_CSV, B_CELL_VALUES, buildPatient, NOW, PATIENTS, subjectOf } from '../analysis/analysis-scenario';
import { labBody, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { whenProjectionCaughtUp } from '../support/projections';

const ARM_NAMES = /rituximab|placebo/i;
const B_CELL_DIGITS = new RegExp(
  Object.values(B_CELL_VALUES)
    .map((v) => String(v).replace('.', '\\.'))
    .join('|'),
);

describe('structured logs: one JSON line per request with its id, and never a masked value or an arm', () => {
  let app: TestApp;
  let coordinators: Record<string, string>;
  const lines: string[] = [];
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, any>);

  beforeAll(async () => {
    app = await startTestApp([IngestModule, AnalysisModule, ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], {
      now: NOW,
      logDestination: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) },
    });
    let admin: string;
    ({ admin, coordinators } = await trialWithSites(app, ['S01', 'S02']));
    await app.http().post('/allocation/import').set('Authorization', admin).send({ csv: ALLOCATION_CSV }).expect(201);
    for (const plan of PATIENTS.slice(0, 4)) await buildPatient(app, coordinators[plan.site], plan);
    await whenProjectionCaughtUp(app.dataSource, 'analysis');
  });
  afterAll(() => app?.close());

  it('writes no masked analyte value and no arm in any line, whatever the blinded and refused requests were', async () => {
    const blinded = await app.userToken('blinded_statistician');
    for (const path of ['/analysis/patients', '/analysis/endpoints', '/analysis/endpoints/by-arm', '/analysis/dataset.csv']) {
      await app.http().get(path).set('Authorization', blinded);
    }
    const subject = subjectOf(PATIENTS[0]);
    // Refused submissions that carry a B-cell value: the refusal is logged, the value is not.
    await app
      .http()
      .post(`/patients/${subject}/labs`)
      .set('Authorization', coordinators.S01)
      .send(labBody({ analyte: 'CD19', unit: 'furlongs', value: B_CELL_VALUES.rituximabBaseline }))
      .expect(422);
    await app
      .http()
      .post(`/patients/${subject}/labs`)
      .set('Authorization', coordinators.S01)
      .set('Content-Type', 'application/json')
      .send(`{"analyte":"CD19","value":${B_CELL_VALUES.placeboBaseline},"value":${B_CELL_VALUES.placeboMonth3}}`)
      .expect(400);

    expect(lines.length).toBeGreaterThan(50);
    expect(lines.filter((line) => B_CELL_DIGITS.test(line))).toEqual([]);
    expect(lines.filter((line) => ARM_NAMES.test(line))).toEqual([]);
    expect(lines.filter((line) => /Bearer|authorization/i.test(line))).toEqual([]);
  });

  it('logs each request once at info with its id, method, route template and status; route mapping only at debug', async () => {
    const requestId = randomUUID();
    await app
      .http()
      .get(`/patients/${subjectOf(PATIENTS[0])}/events`)
      .set('Authorization', coordinators.S01)
      .set('X-Request-Id', requestId)
      .expect(200);
    const mine = logs().filter((entry) => entry.req?.id === requestId);
    expect(mine).toEqual([
      expect.objectContaining({
        level: 30,
        req: { id: requestId, method: 'GET' },
        route: '/patients/:patientId/events',
        res: { statusCode: 200 },
      }),
    ]);
    const mappings = logs().filter((entry) => /Mapped \{/.test(entry.msg ?? ''));
    expect(mappings.length).toBeGreaterThan(20);
    expect(mappings.every((entry) => entry.level === 20)).toBe(true);
  });

  it("returns the request id and stores it as the events' correlation id, the submission as their causation", async () => {
    const requestId = randomUUID();
    const subject = subjectOf(PATIENTS[1]);
    const res = await app
      .http()
      .post(`/patients/${subject}/labs`)
      .set('Authorization', coordinators.S01)
      .set('X-Request-Id', requestId)
      .send(labBody({ analyte: 'IGM', value: 7, unit: 'g/L' }))
      .expect(201);
    expect(res.headers['x-request-id']).toBe(requestId);
    const [stored] = await app.dataSource.query(
      'SELECT correlation_id::text AS c, causation_id::text AS k FROM event_store.events WHERE event_id = $1',
      [res.body.events[0].eventId],
    );
    expect(stored.c).toBe(requestId);
    expect(stored.k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const generated = await app.http().get('/health').set('X-Request-Id', 'not a uuid');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
