import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { enrolmentBody, NOW, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { assertKafkaReachable, readWholeTopic, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

describe('the Kafka topic through a whole blinded trial', () => {
  let app: TestApp;
  const topic = uniqueTopic('no-arm');

  beforeAll(async () => {
    await assertKafkaReachable();
    app = await startTestApp([IngestModule, AnalysisModule, RelayModule.forRoot(), ProjectionsModule.forRoot(ANALYSIS_PROJECTIONS)], {
      now: NOW,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      kafkaTopic: topic,
    });
  });
  afterAll(() => app?.close());

  it('carries no arm and no kit-to-arm mapping, before or after a code-break, a lock and the unblinding', async () => {
    const { admin, coordinators } = await trialWithSites(app, ['S01']);
    const post = (path: string, body: object, token: string) => app.http().post(path).set('Authorization', token).send(body).expect(201);
    await post('/allocation/generate', { seed: 'kafka-no-arm', strata: ['S01'], blockSizes: [4], kitsPerStratum: 8 }, admin);
    const patients: string[] = [];
    for (const screening of ['0001', '0002', '0003', '0004']) {
      const { body } = await post('/sites/S01/patients', enrolmentBody(screening), coordinators.S01);
      await post(`/patients/${body.patientId}/randomization`, { ...submission(), occurredAt: '2026-03-05' }, coordinators.S01);
      patients.push(body.patientId);
    }
    const requester = await app.person('site_coordinator', ['S01']);
    await post(
      `/patients/${patients[0]}/code-break`,
      { ...submission(), reason: 'Anaphylaxis', ...requester.credentials },
      requester.authorization,
    );
    const administrator = await app.person('administrator');
    const signed = administrator.credentials;
    await post('/trial/lock', { ...submission(), reason: 'Last patient out', ...signed }, administrator.authorization);
    await post('/trial/unblinding', { ...submission(), reason: 'Final analysis', ...signed }, administrator.authorization);

    const [{ stored }] = await app.dataSource.query(`SELECT count(*)::int AS stored FROM event_store.events`);
    const arms: Array<{ kit_number: string; arm: string }> = await app.dataSource.query(`SELECT kit_number, arm FROM allocation.kits`);
    const armNames = [...new Set(arms.map((kit) => kit.arm))];
    expect(armNames.sort()).toEqual(['placebo', 'rituximab']);

    const messages = await readWholeTopic(topic, stored);
    expect(messages).toHaveLength(stored);
    expect(messages.some((text) => text.includes('CodeBreakPerformed'))).toBe(true);
    expect(messages.some((text) => text.includes('TrialUnblinded'))).toBe(true);
    for (const text of messages) {
      for (const arm of armNames) expect(text.toLowerCase()).not.toContain(arm);
      expect(text).not.toMatch(/"arm"\s*:/i);
    }
  });
});
