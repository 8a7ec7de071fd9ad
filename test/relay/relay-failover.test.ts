import type { EventEnvelope } from '@trialstream/domain';
import type { RelayHealth } from '../../apps/relay/src/relay-health.controller';
import { newPatientStream } from '../event-store/event-store-harness';
import { TopicReader } from '../messaging/kafka-test-kit';
import { AppProcess } from '../support/app-process';
import { TEST_KAFKA_BROKERS } from '../support/kafka';
import { appendSteadily, firstDeliveries, openRelayHarness, type RelayHarness } from './relay-harness';
import { waitUntil } from '../support/eventually';

const STREAMS = 30;
const EVENTS_PER_APPEND = 1;
const ROUND_PAUSE_MS = 400;
/** Rounds of appends between two kills, and after the last one. */
const ROUNDS_BETWEEN = 8;
const PAGE_SIZE = 500;
const KILLS = 3;
/** The promise: a SIGKILLed leader's standby takes over within 10 s. */
const HANDOVER_MS = 10_000;

describe('relays that fail over', () => {
  let harness: RelayHarness;
  let reader: TopicReader;
  const relays = new Set<AppProcess>();
  let appending: Promise<void> | undefined;
  let env: Record<string, string>;
  /** Set when the suite ends, passed or failed: the load must never outlive it. */
  let finished = false;

  beforeAll(async () => {
    harness = await openRelayHarness({ partitions: 4 });
    reader = await TopicReader.start(harness.topic);
    env = {
      DATABASE_URL: harness.database.url,
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC: harness.topic,
      KAFKA_PARTITIONS: String(harness.partitions),
    };
  });
  afterAll(async () => {
    finished = true;
    await Promise.all([...relays].map((relay) => relay.stop('SIGKILL')));
    await appending?.catch(() => undefined);
    await reader?.stop();
    await harness?.close();
  });

  async function startRelay(): Promise<AppProcess> {
    const relay = await AppProcess.start('relay', env);
    relays.add(relay);
    return relay;
  }

  const healthOf = (relay: AppProcess) => relay.health<RelayHealth>();
  async function roles(): Promise<Map<AppProcess, RelayHealth>> {
    const entries = await Promise.all([...relays].map(async (relay) => [relay, await healthOf(relay)] as const));
    return new Map(entries);
  }
  async function theLeader(): Promise<AppProcess> {
    const leaders = [...(await roles())].filter(([, health]) => health.role === 'leader');
    expect(leaders).toHaveLength(1);
    return leaders[0][0];
  }

  it('publishes with one leader at a time; each SIGKILL hands over within 10 s, losing nothing and repeating at most a page', async () => {
    await Promise.all([startRelay(), startRelay()]);
    await waitUntil(
      async () => [...(await roles()).values()].some((health) => health.role === 'leader'),
      HANDOVER_MS,
      () => 'a leader',
    );
    const standbys = [...(await roles()).values()].filter((health) => health.role === 'standby');
    expect(standbys).toHaveLength(1);
    expect(standbys[0]).toMatchObject({ status: 'ok', eventsPublished: 0 });

    const streams = Array.from({ length: STREAMS }, () => newPatientStream());
    const progress = { rounds: 0 };
    let lastKillAtRound = 0;
    let killsDone = 0;
    // Sites submit before, between and after the kills, however long a replacement relay takes to start.
    const keepGoing = () => !finished && (killsDone < KILLS || progress.rounds < lastKillAtRound + ROUNDS_BETWEEN);
    appending = appendSteadily(harness.store, { streams, rounds: keepGoing, eventsPerAppend: EVENTS_PER_APPEND, progress }, ROUND_PAUSE_MS);

    const handovers: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const atRound = lastKillAtRound + ROUNDS_BETWEEN;
      await waitUntil(
        () => progress.rounds >= atRound && reader.messages.length > 0,
        60_000,
        () => `round ${atRound}`,
      );
      const leader = await theLeader();
      const [standby] = [...relays].filter((relay) => relay !== leader);
      const publishedBefore = (await healthOf(standby)).eventsPublished;
      expect(publishedBefore).toBe(0);

      await leader.stop('SIGKILL');
      lastKillAtRound = progress.rounds;
      relays.delete(leader);
      const killedAt = Date.now();
      await waitUntil(
        async () => (await healthOf(standby)).role === 'leader',
        HANDOVER_MS,
        () => `the standby to take over (kill ${kill})`,
      );
      handovers.push(Date.now() - killedAt);
      await waitUntil(
        async () => (await healthOf(standby)).eventsPublished > 0,
        30_000,
        () => `the new leader to publish (kill ${kill})`,
      );
      await startRelay(); // the orchestrator replaces the dead one: it joins as a standby
      expect((await theLeader()) === standby).toBe(true);
      killsDone = kill;
    }

    process.stdout.write(`relay handovers after SIGKILL (ms): ${handovers.join(', ')}\n`);
    await appending;
    const TOTAL = STREAMS * progress.rounds * EVENTS_PER_APPEND;
    // Catch-up reads stop below the oldest transaction still open on the server (any database's), so wait for it.
    let stored = await harness.storedEvents();
    await waitUntil(
      async () => (stored = await harness.storedEvents()).length >= TOTAL,
      60_000,
      () => `${TOTAL} readable events (got ${stored.length})`,
    );
    expect(stored).toHaveLength(TOTAL);
    const distinctOnTopic = () => new Set(reader.messages.map((message) => message.headers['event-id'])).size;
    await waitUntil(
      () => distinctOnTopic() >= TOTAL,
      60_000,
      () => `${TOTAL} distinct events on the topic (got ${distinctOnTopic()})`,
    );

    const published = reader.messages.map((message) => JSON.parse(message.value!) as EventEnvelope);
    const deduplicated = firstDeliveries(published);
    expect(new Set(deduplicated.map((event) => event.eventId))).toEqual(new Set(stored.map((event) => event.eventId)));
    for (const streamId of streams) {
      const versions = deduplicated.filter((event) => event.streamId === streamId).map((event) => event.streamVersion);
      expect(versions).toEqual(Array.from({ length: progress.rounds * EVENTS_PER_APPEND }, (_, i) => i + 1));
    }
    // Each handover repeats at most the page the dead leader had in flight.
    expect(published.length - TOTAL).toBeLessThanOrEqual(KILLS * PAGE_SIZE);
    const final = await roles();
    expect([...final.values()].map((health) => health.role).sort()).toEqual(['leader', 'standby']);
  }, 150_000);
});
