import { createKafka } from '@trialstream/messaging';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { ANALYSIS_PROJECTIONS } from '../../apps/analysis/src/analysis.schema';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { enrolmentBody, NOW, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, TestApp } from '../support/app';
import { assertKafkaReachable, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

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
    await post(`/patients/${patients[0]}/code-break`, { ...submission(), reason: 'Anaphylaxis' }, coordinators.S01);
    await post('/trial/lock', { ...submission(), reason: 'Last patient out' }, admin);
    await post('/trial/unblinding', { ...submission(), reason: 'Final analysis' }, admin);

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

/** Every message of the topic as text (key, value and headers), read from the beginning until `count` arrived. */
async function readWholeTopic(topic: string, count: number): Promise<string[]> {
  const consumer = createKafka({ brokers: TEST_KAFKA_BROKERS, clientId: 'no-arm-scan' }).consumer({ groupId: `${topic}.scan`, maxWaitTimeInMs: 200 });
  const texts: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${texts.length} of ${count} messages arrived`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.entries(message.headers ?? {}).map(([name, value]) => `${name}=${String(value)}`);
          texts.push([message.key?.toString(), message.value?.toString(), ...headers].join('\n'));
          if (texts.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return texts;
}
