/**
 * Stream and topic names carry the trial (issue 12.7): two deployments of two protocols write disjoint
 * stream ids and Kafka topics; a log written before names carried a trial is upgraded without renaming
 * anything, keeps its names for new events, verifies, and answers exactly what the same facts written
 * under trial names answer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { shippedProtocolFile } from '@trialstream/config';
import { openDatabase } from '@trialstream/database';
import {
  decideProtocolActivation,
  DEFAULT_TRIAL_STREAMS,
  draftEvent,
  parseTrialStreamId,
  TrialStreams,
  upcastStoredEvent,
  type Actor,
  type EventDraft,
} from '@trialstream/domain';
import { deploymentTrialStreams, NameStreamsByTrial1771000000000, PostgresEventStore } from '@trialstream/event-store';
import { createKafka } from '@trialstream/messaging';
import { loadProtocolFile } from '@trialstream/protocol';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { verifyThroughApi, whenReadModelsCaughtUp } from '../audit/audit-trial';
import { enrolmentBody, labBody, siteBody, submission } from '../ingest/site-api';
import { PLATFORM_FEATURES, startTestApp, type TestApp } from '../support/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { assertKafkaReachable, readWholeTopic, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

const RCT = 'anti-mag-rituximab-rct';
const PILOT = 'anti-mag-rituximab-pilot';
const NOW = new Date('2026-06-01T12:00:00Z');
const storedStreamIds = async (app: TestApp): Promise<string[]> =>
  (await app.dataSource.query(`SELECT DISTINCT stream_id FROM event_store.events ORDER BY stream_id`)).map(
    (row: { stream_id: string }) => row.stream_id,
  );

describe('two deployments of two protocols', () => {
  const base = uniqueTopic('trials');
  const deployments: Record<string, { app: TestApp; site: string; patient: string }> = {};

  beforeAll(async () => {
    await assertKafkaReachable();
    for (const [trial, file, site] of [
      [RCT, 'placebo', 'S01'],
      [PILOT, 'pilot', 'SITE-A'],
    ] as const) {
      const app = await startTestApp([...PLATFORM_FEATURES, RelayModule.forRoot()], {
        now: NOW,
        protocolFile: shippedProtocolFile(file),
        kafkaBrokers: TEST_KAFKA_BROKERS,
        kafkaTopic: base,
      });
      const admin = await app.userToken('administrator');
      await app.http().post('/sites').set('Authorization', admin).send(siteBody(site)).expect(201);
      const coordinator = await app.userToken('site_coordinator', [site]);
      const post = (path: string, body: object) => app.http().post(path).set('Authorization', coordinator).send(body).expect(201);
      const { body } = await post(`/sites/${site}/patients`, enrolmentBody('0001'));
      await post(`/patients/${body.patientId}/labs`, labBody({ value: 12.5 }));
      const auditor = await app.userToken('auditor');
      await app.http().get(`/audit/patients/${body.patientId}/history`).set('Authorization', auditor).expect(200);
      deployments[trial] = { app, site, patient: body.patientId as string };
    }
  }, 180_000);
  afterAll(async () => {
    for (const { app } of Object.values(deployments)) await app.close();
  });

  it("names every trial stream with the deployment's trial, and keeps accounts the deployment's", async () => {
    for (const [trial, { app, site, patient }] of Object.entries(deployments)) {
      const streams = await storedStreamIds(app);
      const trialStreams = streams.filter((streamId) => parseTrialStreamId(streamId) !== undefined);
      expect(trialStreams.map((streamId) => parseTrialStreamId(streamId)!.trialId)).toEqual(trialStreams.map(() => trial));
      expect(trialStreams).toEqual(
        expect.arrayContaining([
          `${trial}.trial`,
          `${trial}.site-${site}`,
          `${trial}.patient-${patient}`,
          expect.stringMatching(`^${trial}\\.access-`),
        ]),
      );
      // people log in to the deployment, not to one trial
      expect(streams.filter((streamId) => parseTrialStreamId(streamId) === undefined)).toEqual(
        streams.filter((streamId) => streamId.startsWith('account-')),
      );
    }
    const [rct, pilot] = await Promise.all([storedStreamIds(deployments[RCT].app), storedStreamIds(deployments[PILOT].app)]);
    const shared = rct.filter((streamId) => pilot.includes(streamId) && !streamId.startsWith('account-'));
    expect(shared).toEqual([]);
  });

  it("publishes each deployment's events on its trial's topic only", async () => {
    const eventIdsOf = async (app: TestApp): Promise<string[]> =>
      (await app.dataSource.query(`SELECT event_id::text FROM event_store.events`)).map((row: { event_id: string }) => row.event_id);
    for (const [trial, other] of [
      [RCT, PILOT],
      [PILOT, RCT],
    ]) {
      const own = await eventIdsOf(deployments[trial].app);
      const foreign = await eventIdsOf(deployments[other].app);
      const messages = (await readWholeTopic(`${trial}.${base}`, own.length)).join('\n');
      for (const eventId of own) expect(messages).toContain(eventId);
      for (const eventId of foreign) expect(messages).not.toContain(eventId);
    }
    const admin = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: `${base}-admin` }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.endsWith(base));
      expect(topics.sort()).toEqual([`${PILOT}.${base}`, `${RCT}.${base}`]);
    } finally {
      await admin.disconnect();
    }
  });

  it("refuses another trial's protocol file: a deployment hosts the trial its names carry", async () => {
    const { app } = deployments[RCT];
    const admin = await app.userToken('administrator');
    const res = await app
      .http()
      .post('/protocol/versions')
      .set('Authorization', admin)
      .send({ ...submission(), file: readFileSync(shippedProtocolFile('pilot'), 'utf8') })
      .expect(422);
    expect(res.body.details).toEqual([{ field: 'file.trial.id', rule: 'deployment-trial' }]);
    expect((await app.http().get('/protocol/versions').set('Authorization', admin).expect(200)).body).toHaveLength(1);
  });
});

/** One trial's log as the store holds it: the placebo protocol, a site, a treated patient, an enrolled one. */
async function writeLog(store: PostgresEventStore, streams: TrialStreams): Promise<void> {
  const text = readFileSync(shippedProtocolFile('placebo'), 'utf8');
  const loaded = loadProtocolFile(shippedProtocolFile('placebo'));
  if (!loaded.ok) throw new Error('the placebo protocol file is invalid');
  const sourceSha256 = createHash('sha256').update(text).digest('hex');
  const activation = decideProtocolActivation(
    [],
    { definition: loaded.definition, effectiveFrom: '2024-01-01', sourceSha256 },
    '2024-01-01T09:00:00Z',
  );
  if (!activation.ok) throw new Error('activation refused');
  const administrator: Actor = { userId: 'admin-1', role: 'administrator' };
  const coordinator: Actor = { userId: 'coordinator-1', role: 'site_coordinator' };
  const append = async (streamId: string, siteId: string | null, events: EventDraft[], actor = coordinator) => {
    const outcome = await store.append({ streamId, expectedVersion: await store.streamVersion(streamId), events, siteId, actor });
    if (outcome.status !== 'appended') throw new Error(`could not append to ${streamId}`);
  };
  const enrolment = (screeningNumber: string) =>
    draftEvent('PatientEnrolled', '2024-01-15', {
      patientId: `S01-${screeningNumber}`,
      siteId: 'S01',
      screeningNumber,
      consentDate: '2024-01-10',
      eligibility: { met: true, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: true }] },
      heightCm: 172,
      weightKg: 78,
      sex: 'female',
      birthYear: 1955,
    });
  const lab = (occurredAt: string, value: number, unit: string) =>
    draftEvent('LabResulted', occurredAt, { analyte: 'IGM', value, unit, qualifier: '=' });
  await append(streams.trial, null, activation.events, administrator);
  await append(
    streams.site('S01'),
    'S01',
    [draftEvent('SiteActivated', '2024-01-02', { siteId: 'S01', name: 'Site S01', country: 'CH' })],
    administrator,
  );
  await append(streams.patient('S01-0001'), 'S01', [enrolment('0001')]);
  await append(streams.patient('S01-0001'), 'S01', [draftEvent('PatientRandomized', '2024-01-20', { kitNumber: '1001', stratum: 'S01' })]);
  await append(streams.patient('S01-0001'), 'S01', [lab('2024-01-25', 12.5, 'g/L')]);
  await append(streams.patient('S01-0001'), 'S01', [
    draftEvent('InfusionGiven', '2024-02-01', {
      cycle: 1,
      infusionInCycle: 1,
      doseLevelMgPerM2: 375,
      heightCm: 172,
      weightKg: 78,
      bsaM2: 1.93,
      plannedDoseMg: 723.75,
      administeredDoseMg: 720,
      deviations: [],
    }),
  ]);
  await append(streams.patient('S01-0001'), 'S01', [lab('2024-05-02', 850, 'mg/dL')]);
  await append(streams.patient('S01-0002'), 'S01', [enrolment('0002')]);
}

describe('a log written before stream names carried a trial', () => {
  let legacy: TestApp;
  let scoped: TestApp;

  /** The database as the earlier version left it: every migration but the trial's, and its log. */
  const legacyDatabase = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase('legacy');
    const dataSource = await openDatabase({
      url: database.url,
      migrations: PLATFORM_MIGRATIONS.filter((migration) => migration !== NameStreamsByTrial1771000000000),
      poolSize: 2,
    });
    await writeLog(new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }), DEFAULT_TRIAL_STREAMS);
    await dataSource.destroy();
    return database;
  };

  /** The same facts in a deployment whose names carry its trial. */
  const scopedDatabase = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase('scoped');
    const dataSource = await openDatabase({ url: database.url, migrations: PLATFORM_MIGRATIONS, poolSize: 2 });
    await writeLog(new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }), await deploymentTrialStreams(dataSource, RCT));
    await dataSource.destroy();
    return database;
  };

  beforeAll(async () => {
    // both started as `npm start` starts: with the placebo protocol file
    const options = { now: NOW, protocolFile: shippedProtocolFile('placebo') };
    legacy = await startTestApp(PLATFORM_FEATURES, { ...options, database: await legacyDatabase() });
    scoped = await startTestApp(PLATFORM_FEATURES, { ...options, database: await scopedDatabase() });
    await whenReadModelsCaughtUp(legacy);
    await whenReadModelsCaughtUp(scoped);
  }, 120_000);
  afterAll(async () => {
    await legacy?.close();
    await scoped?.close();
  });

  it('keeps its stream names: the default trial, its protocol version still in force', async () => {
    expect(await storedStreamIds(legacy)).toEqual(['patient-S01-0001', 'patient-S01-0002', 'site-S01', 'trial']);
    expect(await storedStreamIds(scoped)).toEqual([
      `${RCT}.patient-S01-0001`,
      `${RCT}.patient-S01-0002`,
      `${RCT}.site-S01`,
      `${RCT}.trial`,
    ]);
    for (const app of [legacy, scoped]) {
      const admin = await app.userToken('administrator');
      expect((await app.http().get('/protocol/versions').set('Authorization', admin).expect(200)).body).toEqual([
        expect.objectContaining({ version: 1, protocolId: RCT, effectiveFrom: '2024-01-01', inForce: true }),
      ]);
    }
  });

  it('answers from its read models exactly what the same facts under trial names answer', async () => {
    const answers = async (app: TestApp) => {
      const [auditor, monitor, statistician] = [
        await app.userToken('auditor'),
        await app.userToken('monitor', ['S01']),
        await app.userToken('blinded_statistician'),
      ];
      const get = async (path: string, token: string) => (await app.http().get(path).set('Authorization', token).expect(200)).body;
      const registry = await get('/registry/patients', auditor);
      return {
        registry: registry.items.map(({ patientId, siteId, status, totalEvents }: Record<string, unknown>) => ({
          patientId,
          siteId,
          status,
          totalEvents,
        })),
        monitoring: await get('/monitoring/sites/S01/patients?asOf=2024-06-01', monitor),
        endpoints: await get('/analysis/endpoints', statistician),
        record: (await get('/audit/patients/S01-0001/as-of?position=999999', auditor)).entries.map(
          ({ type, occurredAt, data }: Record<string, unknown>) => ({ type, occurredAt, data }),
        ),
      };
    };
    const fromLegacy = await answers(legacy);
    expect(fromLegacy.registry).toHaveLength(2);
    expect(fromLegacy.record).toHaveLength(5);
    // 12.5 g/L at baseline, 850 mg/dL (8.5 g/L) after the infusion
    expect(fromLegacy.endpoints.pooled.igm.latestPercentChange).toMatchObject({ n: 1, median: -32 });
    expect(fromLegacy).toEqual(await answers(scoped));
  });

  it('appends new events to the streams under their old names, and the whole log still verifies', async () => {
    for (const [app, stream] of [
      [legacy, 'patient-S01-0001'],
      [scoped, `${RCT}.patient-S01-0001`],
    ] as const) {
      const coordinator = await app.userToken('site_coordinator', ['S01']);
      const res = await app
        .http()
        .post('/patients/S01-0001/labs')
        .set('Authorization', coordinator)
        .send(labBody({ occurredAt: '2024-08-01', value: 9.5 }))
        .expect(201);
      expect(res.body.events).toEqual([expect.objectContaining({ streamVersion: 6 })]);
      const [{ stream_id }] = await app.dataSource.query(`SELECT stream_id FROM event_store.events WHERE event_id = $1`, [
        res.body.events[0].eventId,
      ]);
      expect(stream_id).toBe(stream);
      await whenReadModelsCaughtUp(app);
      const result = await verifyThroughApi(app, await app.userToken('auditor'));
      expect(result.log).toMatchObject({ ok: true, brokenLinks: [] });
      for (const check of result.readModels) expect(check).toMatchObject({ identical: true, error: null });
      expect(result.ok).toBe(true);
    }
  });
});
