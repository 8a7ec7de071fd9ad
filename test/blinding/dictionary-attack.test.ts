/**
 * The attack of issue 9, as a test: every blinded role (site coordinator, monitor, blinded statistician)
 * calls every route and export it may call (and the ones it may not), and a consumer of the Kafka topic
 * without the field key reads every message; then a dictionary attack over every hash, size and field they
 * got tries to recover each masked B-cell value and each patient's arm. Expected: 0 recovered. Each attack
 * is first calibrated on what the platform exposed before (plain SHA-256 chains next to masked events,
 * unsealed messages on the topic), where it must recover everything: an attack that cannot succeed proves
 * nothing.
 */
import { canonicalize, chainedFields, computeEventHash } from '@trialstream/event-store';
import { seededRandom, type EventEnvelope } from '@trialstream/domain';
import { createHash } from 'node:crypto';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { whenReadModelsCaughtUp } from '../audit/audit-trial';
import { enrolmentBody, infusionBody, labBody, NOW, submission, trialWithSites } from '../ingest/site-api';
import { PLATFORM_FEATURES, startTestApp, type TestApp } from '../support/app';
import { assertKafkaReachable, readWholeTopic, TEST_KAFKA_BROKERS, uniqueTopic } from '../support/kafka';

type Arm = 'rituximab' | 'placebo';
interface Patient {
  id: string;
  site: string;
  arm: Arm;
}
interface Masked {
  patientId: string;
  eventId: string;
  analyte: string;
  value: number;
  text: string;
}
/** What one role got from one route: the status and the body as text. */
interface Reply {
  role: string;
  route: string;
  status: number;
  text: string;
}

const SITES = ['S01', 'S02'];
const SCREENINGS = ['0001', '0002', '0003', '0004'];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HEX64 = /\b[0-9a-f]{64}\b/g;

/** The attacker's dictionary of B-cell results: 0 to 300 cells/µL in steps of 0.1, every unit and qualifier. */
const DICTIONARY = (() => {
  const candidates: Array<{ value: number; unit: string; qualifier: string }> = [];
  for (let tenths = 0; tenths <= 3000; tenths++) {
    for (const unit of ['cells/µL', '%']) for (const qualifier of ['=', '<', '>']) candidates.push({ value: tenths / 10, unit, qualifier });
  }
  return candidates;
})();

/**
 * Tries every dictionary entry in place of a masked event's hidden fields and compares the SHA-256 of the
 * candidate (the chain format a reader can recompute) with every hash the attacker has seen. Returns the
 * values recovered, by event id.
 */
function hashDictionaryAttack(
  masked: EventEnvelope[],
  history: Map<string, EventEnvelope[]>,
  seenHashes: Set<string>,
): Map<string, number> {
  const recovered = new Map<string, number>();
  if (seenHashes.size === 0) return recovered;
  for (const event of masked) {
    const stream = history.get(event.streamId) ?? [];
    const before = stream[stream.findIndex((candidate) => candidate.eventId === event.eventId) - 1];
    const previousHash = event.previousHash ?? before?.hash;
    if (previousHash === undefined) continue; // nothing to build a candidate from
    const analyte = (event.data as { analyte: string }).analyte;
    for (const candidate of DICTIONARY) {
      const fields = chainedFields({ ...event, previousHash, data: { analyte, ...candidate } });
      if (seenHashes.has(createHash('sha256').update(canonicalize(fields)).digest('hex'))) {
        recovered.set(event.eventId, candidate.value);
        break;
      }
    }
  }
  return recovered;
}

/** A patient's part of a reply: the whole body for their own history, else the JSON elements or CSV lines naming them. */
function sliceOf(reply: Reply, patientId: string): string | null {
  if (reply.route === `/patients/${patientId}/events`) return reply.text;
  if (reply.route.startsWith('/patients/')) return null;
  let parts: string[];
  try {
    const elements: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) {
        for (const item of value) {
          if (JSON.stringify(item).includes(patientId)) elements.push(JSON.stringify(item));
          else walk(item);
        }
      } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(JSON.parse(reply.text));
    parts = elements;
  } catch {
    parts = reply.text.split(/\r?\n/).filter((line) => line.includes(patientId));
  }
  return parts.length === 0 ? null : parts.join('\n');
}

/** What an attacker compares between patients: size, field names and the shape of every value (digits as 9). */
function featuresOf(slice: string, patientId: string): string[] {
  const normalized = slice.replaceAll(patientId, 'PATIENT').replace(UUID, 'UUID');
  let fields: string;
  try {
    const keys = new Set<string>();
    JSON.parse(normalized, (key, value) => (keys.add(key), value));
    fields = [...keys].sort().join(',');
  } catch {
    fields = String(normalized.split(',').length);
  }
  return [`size:${Buffer.byteLength(slice)}`, `fields:${fields}`, `shape:${normalized.replace(/\d/g, '9')}`];
}

/**
 * The arm attack: the attacker groups patients by each feature of what they got. A feature tells arms when
 * it splits patients into groups of at least two that each hold one arm only (B cells depleted or not);
 * features unique to every patient (ids, random tokens) tell nothing, since nothing ties a value to an arm.
 */
function armAttack(patients: Patient[], featuresByPatient: Map<string, string[]>): Set<string> {
  const recovered = new Set<string>();
  const featureCount = Math.max(0, ...[...featuresByPatient.values()].map((features) => features.length));
  for (let index = 0; index < featureCount; index++) {
    const groups = new Map<string, Patient[]>();
    for (const patient of patients) {
      const value = featuresByPatient.get(patient.id)?.[index];
      if (value !== undefined) groups.set(value, [...(groups.get(value) ?? []), patient]);
    }
    if (groups.size < 2) continue;
    for (const group of groups.values()) {
      if (group.length >= 2 && group.every((patient) => patient.arm === group[0].arm))
        group.forEach((patient) => recovered.add(patient.id));
    }
  }
  return recovered;
}

describe('a dictionary attack by every blinded role and by a Kafka consumer without the key', () => {
  let app: TestApp;
  const topic = uniqueTopic('attack');
  const patients: Patient[] = [];
  const masked: Masked[] = [];
  const replies: Reply[] = [];
  let messages: string[] = [];

  beforeAll(async () => {
    await assertKafkaReachable();
    app = await startTestApp([...PLATFORM_FEATURES, RelayModule.forRoot()], {
      now: NOW,
      kafkaBrokers: TEST_KAFKA_BROKERS,
      kafkaTopic: topic,
    });
    const { admin, coordinators } = await trialWithSites(app, SITES);
    const post = async (path: string, body: object, token: string) => {
      const res = await app.http().post(path).set('Authorization', token).send(body);
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await post('/allocation/generate', { seed: 'issue-9-attack', strata: SITES, blockSizes: [4], kitsPerStratum: 4 }, admin);
    const kits: Array<{ kit_number: string; arm: Arm }> = await app.dataSource.query(`SELECT kit_number, arm FROM allocation.kits`);
    const random = seededRandom('issue-9-b-cells');
    const tenth = (low: number, high: number) => Math.round((low + random() * (high - low)) * 10) / 10;

    for (const site of SITES) {
      for (const screening of SCREENINGS) {
        const { patientId } = await post(`/sites/${site}/patients`, enrolmentBody(screening), coordinators[site]);
        await post(`/patients/${patientId}/randomization`, { ...submission(), occurredAt: '2026-03-05' }, coordinators[site]);
        const [{ kit }] = await app.dataSource.query(
          `SELECT data->>'kitNumber' AS kit FROM event_store.events WHERE stream_id = $1 AND type = 'PatientRandomized'`,
          [`patient-${patientId}`],
        );
        const arm = kits.find((candidate) => candidate.kit_number === kit)!.arm;
        patients.push({ id: patientId, site, arm });
        await post(`/patients/${patientId}/infusions`, infusionBody({ occurredAt: '2026-03-09' }), coordinators[site]);
        for (const [occurredAt, visit] of [
          ['2026-03-09', 'baseline'],
          ['2026-05-18', 'month 3'],
        ] as const) {
          await post(`/patients/${patientId}/labs`, labBody({ occurredAt, value: 12.5 }), coordinators[site]);
          for (const analyte of ['CD19', 'CD20']) {
            // Rituximab depletes B cells; placebo leaves them as they were.
            const value = visit === 'month 3' && arm === 'rituximab' ? tenth(0, 2) : tenth(100, 300);
            const { events } = await post(
              `/patients/${patientId}/labs`,
              labBody({ occurredAt, analyte, value, unit: 'cells/µL' }),
              coordinators[site],
            );
            masked.push({ patientId, eventId: events[0].eventId, analyte, value, text: String(value) });
          }
        }
      }
    }
    expect(new Set(patients.map((patient) => patient.arm))).toEqual(new Set(['rituximab', 'placebo']));
    await whenReadModelsCaughtUp(app);

    const tokens: Record<string, string> = {
      'site coordinator S01': coordinators.S01,
      'site coordinator S02': coordinators.S02,
      monitor: await app.userToken('monitor', SITES),
      'blinded statistician': await app.userToken('blinded_statistician'),
    };
    const siteRoutes = (site: string) =>
      ['', '/patients', '/deviations', '/queries'].flatMap((list) => [
        `/monitoring/sites/${site}${list}`,
        ...(list ? [`/monitoring/sites/${site}${list}/export.csv`] : []),
      ]);
    const routes = [
      ...patients.map((patient) => `/patients/${patient.id}/events`),
      '/monitoring/sites',
      '/monitoring/sites/export.csv',
      ...SITES.flatMap(siteRoutes),
      '/registry/patients',
      '/registry/sites',
      '/analysis/patients',
      '/analysis/endpoints',
      '/analysis/safety',
      '/analysis/dataset.csv',
      '/analysis/endpoints/by-arm',
      '/analysis/safety/by-arm',
      '/audit/events',
      '/audit/exports/odm.xml',
      '/audit/exports/sdtm/LB.csv',
      '/audit/checkpoints',
      '/allocation',
    ];
    for (const [role, token] of Object.entries(tokens)) {
      for (const route of routes) {
        const res = await app
          .http()
          .get(route)
          .set('Authorization', token)
          .buffer(true)
          .parse((response, done) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            response.on('end', () => done(null, text));
          });
        replies.push({ role, route, status: res.status, text: res.body as string });
      }
    }
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM event_store.events`);
    messages = await readWholeTopic(topic, count, (message) => message.value?.toString() ?? '');
  });
  afterAll(() => app?.close());

  it('reaches data with every blinded role: histories, monitoring, registry, analysis and their exports answer', () => {
    const answered = replies.filter((reply) => reply.status === 200);
    for (const role of ['site coordinator S01', 'monitor', 'blinded statistician'])
      expect(answered.some((reply) => reply.role === role)).toBe(true);
    expect(answered.some((reply) => reply.route === '/analysis/dataset.csv')).toBe(true);
    expect(answered.some((reply) => reply.role === 'monitor' && reply.route.endsWith('/events'))).toBe(true);
    expect(replies.filter((reply) => reply.route.startsWith('/audit/') && reply.status === 200)).toEqual([]);
  });

  it('recovers 0 of the masked values: none appears in any reply, and no hash is there to test a guess against', () => {
    const corpus = replies.map((reply) => reply.text);
    // Values distinctive enough to search for as they are (B-cell counts above 100, one decimal) ...
    const distinctive = masked.filter((value) => value.text.length >= 5);
    expect(distinctive.length).toBeGreaterThan(masked.length / 2);
    const appearing = distinctive.filter((value) =>
      corpus.some((text) => new RegExp(`(?<![\\d.])${value.text.replace('.', '\\.')}(?![\\d])`).test(text)),
    );
    expect(appearing).toEqual([]);

    const seenHashes = new Set(corpus.flatMap((text) => text.match(HEX64) ?? []));
    const histories = new Map<string, EventEnvelope[]>();
    for (const reply of replies.filter((candidate) => candidate.route.endsWith('/events') && candidate.status === 200)) {
      const events = JSON.parse(reply.text) as EventEnvelope[];
      histories.set(events[0].streamId, events);
    }
    // ... and every masked event, wherever a blinded role sees it, is one constant placeholder.
    const maskedEvents = [...histories.values()].flat().filter((event) => masked.some((value) => value.eventId === event.eventId));
    expect(maskedEvents.length).toBe(masked.length);
    expect(
      new Set(maskedEvents.map((event) => JSON.stringify(Object.keys(event)) + JSON.stringify({ ...(event.data as object), analyte: '' }))),
    ).toEqual(new Set([JSON.stringify(Object.keys(maskedEvents[0])) + JSON.stringify({ analyte: '', masked: true })]));
    expect(hashDictionaryAttack(maskedEvents, histories, seenHashes).size).toBe(0);
  });

  it('is a real attack: given the chain as exposed before (plain SHA-256 next to masked events), it recovers every value it tries', async () => {
    const sample = masked.slice(0, 4);
    const exposed = new Map<string, EventEnvelope[]>();
    const seen = new Set<string>();
    for (const { patientId } of sample) {
      const raw = await app.dataSource.query(`SELECT stream_id FROM event_store.events WHERE stream_id = $1 LIMIT 1`, [
        `patient-${patientId}`,
      ]);
      // The chain of format 1: plain SHA-256, which anyone holding an event can recompute.
      const events = await readStream(app, raw[0].stream_id);
      events.forEach((event, index) => {
        event.previousHash = index === 0 ? event.previousHash : events[index - 1].hash;
        event.hash = computeEventHash(chainedFields(event));
        seen.add(event.hash);
      });
      exposed.set(
        raw[0].stream_id,
        events.map((event) =>
          sample.some((m) => m.eventId === event.eventId)
            ? { ...event, data: { analyte: (event.data as { analyte: string }).analyte, masked: true } }
            : event,
        ),
      );
    }
    const targets = [...exposed.values()].flat().filter((event) => (event.data as { masked?: boolean }).masked);
    const recovered = hashDictionaryAttack(targets, exposed, seen);
    expect(sample.map((value) => recovered.get(value.eventId))).toEqual(sample.map((value) => value.value));
  });

  it('recovers 0 arms from sizes, field sets and value shapes of every reply, per patient', () => {
    const recovered = new Set<string>();
    for (const role of new Set(replies.map((reply) => reply.role))) {
      for (const reply of replies.filter((candidate) => candidate.role === role)) {
        const features = new Map<string, string[]>();
        for (const patient of patients) {
          const slice = sliceOf(reply, patient.id);
          if (slice !== null) features.set(patient.id, featuresOf(slice, patient.id));
        }
        for (const id of armAttack(patients, features)) recovered.add(`${role} ${reply.route} ${id}`);
      }
    }
    expect([...recovered]).toEqual([]);
  });

  it('recovers 0 values and 0 arms from the Kafka topic without the key, where the unsealed events would give every arm away', async () => {
    expect(messages.length).toBeGreaterThan(masked.length);
    const onTopic = messages.map((text) => JSON.parse(text) as EventEnvelope);
    expect(
      masked.filter((value) => messages.some((text) => text.includes(value.eventId) && new RegExp(`"value":${value.text}\\b`).test(text))),
    ).toEqual([]);

    const seenHashes = new Set(messages.flatMap((text) => text.match(HEX64) ?? []));
    const byStream = new Map<string, EventEnvelope[]>();
    for (const event of onTopic)
      byStream.set(
        event.streamId,
        [...(byStream.get(event.streamId) ?? []), event].sort((a, b) => a.streamVersion - b.streamVersion),
      );
    const sealed = onTopic.filter((event) => masked.some((value) => value.eventId === event.eventId));
    expect(sealed.every((event) => typeof (event.data as { sealed?: unknown }).sealed === 'string')).toBe(true);
    // The hashes travel with each message; the most telling result of each patient (CD19 at month 3) is attacked.
    const telling = sealed.filter((event) => (event.data as { analyte: string }).analyte === 'CD19' && event.occurredAt === '2026-05-18');
    expect(telling).toHaveLength(patients.length);
    expect(
      hashDictionaryAttack(
        telling.map((event) => ({ ...event, data: { analyte: 'CD19' } })),
        byStream,
        seenHashes,
      ).size,
    ).toBe(0);

    const features = (view: (event: EventEnvelope) => string) => {
      const byPatient = new Map<string, string[]>();
      for (const patient of patients) {
        const own = (byStream.get(`patient-${patient.id}`) ?? []).filter((event) =>
          masked.some((value) => value.eventId === event.eventId),
        );
        byPatient.set(
          patient.id,
          own.flatMap((event) => featuresOf(view(event), patient.id)),
        );
      }
      return byPatient;
    };
    expect([
      ...armAttack(
        patients,
        features((event) => JSON.stringify(event)),
      ),
    ]).toEqual([]);
    // Calibration: the same events unsealed, as the topic carried them before.
    const unsealed = new Map(
      (await Promise.all(patients.map((patient) => readStream(app, `patient-${patient.id}`))))
        .flat()
        .map((event) => [event.eventId, event]),
    );
    expect(
      armAttack(
        patients,
        features((event) => JSON.stringify(unsealed.get(event.eventId))),
      ).size,
    ).toBe(patients.length);
  });
});

async function readStream(app: TestApp, streamId: string): Promise<EventEnvelope[]> {
  const { toStoredEnvelope, EVENT_COLUMNS } = await import('@trialstream/event-store');
  const rows = await app.dataSource.query(
    `SELECT ${EVENT_COLUMNS} FROM event_store.events AS e WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  return rows.map(toStoredEnvelope);
}
