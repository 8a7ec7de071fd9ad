import { projectionConsumerGroup, REGISTRY_PROJECTION } from '@trialstream/projections';
import { enrolmentBody, labBody, siteBody } from '../test/ingest/site-api';
import type { BenchKafka } from './bench-kafka';
import type { MemoryRecorder } from './memory';
import type { BenchParameters } from './parameters';
import { BenchClient } from './bench-client';
import { startBenchApp, type DeliveryMode } from './platform-app';
import { progress } from './progress';
import { RegistryVisibility } from './registry-visibility';
import { latencySummary, type LatencySummary } from './stats';

export interface ModeLatency {
  submit_to_visible: LatencySummary;
  submit_to_http_response: LatencySummary;
  /** The same open loop just before the timed one: what the apps' first seconds under that load look like. */
  open_loop_warm_up: OpenLoopLatency;
  open_loop: OpenLoopLatency;
}

export interface OpenLoopLatency {
  offered_per_second: number;
  achieved_per_second: number;
  submissions: number;
  /** Submissions that failed (connection refused, error answer) or never became visible. */
  failed: number;
  /** From each submission's scheduled send time (so a late send counts against it) to its row being visible. */
  submit_to_visible: LatencySummary;
  /** From the same scheduled time to the HTTP answer: the ingest's share of submit_to_visible. */
  submit_to_http_response: LatencySummary;
}

export interface EndToEndLatencyResults {
  method: string;
  kafka: ModeLatency;
  in_process: ModeLatency;
}

const METHOD =
  'Real listening Nest apps per mode on their own fresh database (kafka: as the distributed deployment runs them, three ' +
  'processes: ingest, the relay woken by LISTEN/NOTIFY, the registry projection consuming the topic with its query API; ' +
  'in_process: as npm start runs them, one process: ingest and the registry fed from the store). ' +
  'One coordinator submits lab results over HTTP (at most 64 keep-alive connections), one at a time, rotating over enrolled ' +
  'patients, after a warm-up; then open_loop: submissions sent on a fixed schedule (offered rate) without waiting ' +
  'for earlier answers (a submission waits for a free connection, as behind a gateway), latency counted from the scheduled send time ' +
  'to the row being visible and, apart, to the HTTP answer; ' +
  'open_loop_warm_up is the same load for the seconds just before, reported apart: the first seconds of a fresh process under ' +
  'that load (its heap and pool growing, code compiled for the concurrent paths) queue up behind each other. Visible = a row trigger on registry.patients calls pg_notify(patient_id, total_events), ' +
  'delivered at the projection commit to a LISTENing connection; the sample is the time from just before the request ' +
  'is sent until the notification showing the new total arrives. Client, app, PostgreSQL and Kafka share the machine; ' +
  "the store's catch-up readers (relay, store feed) only see a commit once no older transaction is open anywhere on " +
  "the PostgreSQL cluster, so other databases' activity on the same server shows in the tail.";

const SITE = 'L01';
const PATIENTS = 50;
const VISIBLE_WITHIN_MS = 30_000;

interface Patient {
  id: string;
  totalEvents: number;
}

async function enrolPatients(client: BenchClient, visibility: RegistryVisibility, token: string): Promise<Patient[]> {
  const patients: Patient[] = [];
  for (let index = 0; index < PATIENTS; index++) {
    const { patientId } = await client.post(`/sites/${SITE}/patients`, token, enrolmentBody(`E${String(index).padStart(3, '0')}`));
    patients.push({ id: String(patientId), totalEvents: 1 });
  }
  // Also waits out the consumer group's join in Kafka mode.
  await Promise.all(patients.map((patient) => visibility.whenVisible(patient.id, 1, 120_000)));
  return patients;
}

async function submitLab(client: BenchClient, visibility: RegistryVisibility, token: string, patient: Patient, value: number) {
  patient.totalEvents += 1;
  const visible = visibility.whenVisible(patient.id, patient.totalEvents, VISIBLE_WITHIN_MS);
  // Awaited below; if the request fails first, its timeout must not surface as an unhandled rejection.
  visible.catch(() => undefined);
  const sent = performance.now();
  await client.post(`/patients/${patient.id}/labs`, token, labBody({ value }));
  const answered = performance.now();
  return { visibleMs: (await visible) - sent, answeredMs: answered - sent };
}

/**
 * Open loop: submissions leave on a fixed schedule whether or not earlier ones were answered, as sites'
 * traffic does, rotating over the patients; a slow answer therefore shows as latency, not as a lower rate.
 */
async function openLoop(
  client: BenchClient,
  visibility: RegistryVisibility,
  token: string,
  patients: Patient[],
  rate: number,
  seconds: number,
): Promise<OpenLoopLatency> {
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight: Array<Promise<{ answered: number; visible: number } | null>> = [];
  for (let index = 0; index < total; index++) {
    const scheduled = started + index * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const patient = patients[index % patients.length];
    patient.totalEvents += 1;
    const visible = visibility.whenVisible(patient.id, patient.totalEvents, VISIBLE_WITHIN_MS);
    visible.catch(() => undefined);
    const answered = client.post(`/patients/${patient.id}/labs`, token, labBody({ value: 5 + (index % 20) }));
    // A refused or dropped request (an overloaded machine) is counted, not fatal: the rate is the point.
    inFlight.push(
      answered
        .then(async () => {
          const answeredAt = performance.now();
          return { answered: answeredAt - scheduled, visible: (await visible) - scheduled };
        })
        .catch(() => null),
    );
  }
  const outcomes = await Promise.all(inFlight);
  const samples = outcomes.filter((sample): sample is { answered: number; visible: number } => sample !== null);
  const elapsed = performance.now() - started;
  return {
    offered_per_second: rate,
    achieved_per_second: Number((samples.length / (elapsed / 1000)).toFixed(1)),
    submissions: total,
    failed: total - samples.length,
    submit_to_visible: latencySummary(samples.map((sample) => sample.visible)),
    submit_to_http_response: latencySummary(samples.map((sample) => sample.answered)),
  };
}

async function latencyOf(
  mode: DeliveryMode,
  kafka: BenchKafka,
  samples: number,
  rate: number,
  seconds: number,
  warmUpSeconds: number,
): Promise<ModeLatency> {
  const topic = kafka.topicName(`e2e-${mode}`);
  if (mode === 'kafka') kafka.trackGroup(projectionConsumerGroup(REGISTRY_PROJECTION, topic));
  const app = await startBenchApp(mode, { brokers: kafka.brokers, topic, partitions: kafka.partitions });
  try {
    const visibility = await RegistryVisibility.watch(app.databaseUrl);
    try {
      const client = new BenchClient(app.url);
      try {
        await client.post('/sites', await app.token('administrator'), siteBody(SITE));
        const coordinator = await app.token('site_coordinator', [SITE]);
        const patients = await enrolPatients(client, visibility, coordinator);
        const warmUp = Math.min(20, samples);
        for (let index = 0; index < warmUp; index++) await submitLab(client, visibility, coordinator, patients[index % PATIENTS], 10);
        progress(`latency (${mode}): timing ${samples} submissions`);
        const visible: number[] = [];
        const answered: number[] = [];
        for (let index = 0; index < samples; index++) {
          const sample = await submitLab(client, visibility, coordinator, patients[index % PATIENTS], 5 + (index % 20));
          visible.push(sample.visibleMs);
          answered.push(sample.answeredMs);
        }
        progress(`latency (${mode}): open loop, ${rate} submissions/s for ${warmUpSeconds} s of warm-up, then ${seconds} s timed`);
        const loadWarmUp = await openLoop(client, visibility, coordinator, patients, rate, warmUpSeconds);
        const open = await openLoop(client, visibility, coordinator, patients, rate, seconds);
        return {
          submit_to_visible: latencySummary(visible),
          submit_to_http_response: latencySummary(answered),
          open_loop_warm_up: loadWarmUp,
          open_loop: open,
        };
      } finally {
        client.close();
      }
    } finally {
      await visibility.close();
    }
  } finally {
    await app.close();
  }
}

/** Submit-to-visible latency in Kafka mode, and in-process delivery beside it for comparison. */
export async function measureEndToEndLatency(
  kafka: BenchKafka,
  params: BenchParameters,
  memory: MemoryRecorder,
): Promise<EndToEndLatencyResults> {
  const { latencySamples: samples, openLoopRate: rate, openLoopSeconds: seconds, openLoopWarmUpSeconds: warmUpSeconds } = params;
  progress('latency (kafka): starting ingest, the relay and the Kafka-fed registry, each a process of its own');
  const viaKafka = await memory.during('end_to_end_kafka', () => latencyOf('kafka', kafka, samples, rate, seconds, warmUpSeconds));
  progress('latency (in_process): starting the platform with the store-fed registry');
  const inProcess = await memory.during('end_to_end_in_process', () =>
    latencyOf('in_process', kafka, samples, rate, seconds, warmUpSeconds),
  );
  return { method: METHOD, kafka: viaKafka, in_process: inProcess };
}
