import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { Metrics, ReadinessChecks } from '@trialstream/api-common';
import { fieldKeyringFor, PLATFORM_CONFIG, TRIAL_STREAMS, type PlatformConfig } from '@trialstream/config';
import { DEFAULT_TRIAL_STREAMS, protocolVersionsFrom, upcastStoredEvent, type TrialStreams } from '@trialstream/domain';
import { TrialFieldSealer } from '@trialstream/field-crypto';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { KafkaEventPublisher, trialTopic } from '@trialstream/messaging';
import type { DataSource } from 'typeorm';
import { Relay, type RelayOptions } from './relay';
import { relayHealth } from './relay-health.controller';
import { PostgresRelayCheckpoints } from './relay-checkpoints';
import { relayEnds } from './relay-ends';
import { AdvisoryLockLeadership } from './relay-leadership';

export interface RelayModuleOptions extends Partial<RelayOptions> {
  /** Kafka client id (default trialstream-relay). */
  clientId?: string;
  /**
   * Several relays of one topic may run (fail-over): they elect a leader through a PostgreSQL advisory lock on
   * DATABASE_URL, and only the leader publishes. Off for a relay that is the only one (inside the platform).
   */
  electLeader?: boolean;
}

const RELAY_PUBLISHER = 'RELAY_PUBLISHER';

function kafkaBrokersOf(config: PlatformConfig): string[] {
  if (!config.kafkaBrokers) throw new Error('The relay publishes to Kafka: set KAFKA_BROKERS (host:port[,host:port...])');
  return config.kafkaBrokers;
}

function databaseUrlOf(config: PlatformConfig): string {
  if (!config.databaseUrl) throw new Error('Relays elect a leader in PostgreSQL: set DATABASE_URL');
  return config.databaseUrl;
}

/** What the relay needs of the process's own store: word of each commit. */
interface CommitNotifier {
  onCommitted?(listener: () => void): () => void;
}

/**
 * Runs the relay inside the importing process: started once the application is up, stopped before the database
 * closes. Needs DATA_SOURCE (DatabaseModule, migrated with RELAY_MIGRATIONS) and PLATFORM_CONFIG (KAFKA_BROKERS,
 * KAFKA_TOPIC, KAFKA_PARTITIONS). The relay wakes on each commit of any writer of the database (the process's own store's
 * in-process, other processes' through LISTEN/NOTIFY) and polls besides. It publishes to the trial's topic,
 * `<trialId>.<KAFKA_TOPIC>`, by TRIAL_STREAMS (without it, the default trial's `KAFKA_TOPIC`). Exports `Relay`.
 */
@Module({})
export class RelayModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private unsubscribe: (() => void) | undefined;
  /** The relay module's own reader of the log: its lag, and in a relay process of its own, word of others' commits. */
  private readonly ownStore: PostgresEventStore;

  constructor(
    private readonly relay: Relay,
    @Inject(RELAY_PUBLISHER) private readonly publisher: KafkaEventPublisher,
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Optional() @Inject(EVENT_STORE) private readonly processStore?: CommitNotifier,
    @Optional() private readonly readiness?: ReadinessChecks,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.ownStore = new PostgresEventStore(dataSource);
  }

  /** Ready while the relay publishes (not retrying, not stalled) and no more than READY_MAX_RELAY_LAG events wait. */
  onModuleInit(): void {
    const store = this.ownStore;
    const maxLag = this.config.readyMaxRelayLag;
    const relay = this.relay;
    const lagUpTo = (cap: number) =>
      store.countEventsAfter(relay.metrics.lastPublished ?? { transactionId: '0', globalPosition: '0' }, cap);
    this.metrics?.gauge('trialstream_relay_position', 'Global position of the last event the relay published', [], (set) =>
      set({}, Number(relay.metrics.lastPublished?.globalPosition ?? 0)),
    );
    this.metrics?.gauge('trialstream_relay_lag_events', 'Committed events not yet published to Kafka', [], async (set) =>
      set({}, await lagUpTo(1_000_000)),
    );
    this.metrics?.gauge('trialstream_relay_stalled', '1 while the relay is stalled, retrying or stopped', [], (set) =>
      set({}, relayHealth(relay.metrics, this.config.relayStalledAfterMs).status === 'ok' ? 0 : 1),
    );
    this.metrics?.gauge('trialstream_relay_consecutive_failures', 'Failed publish attempts since the last success', [], (set) =>
      set({}, relay.metrics.consecutiveFailures),
    );
    this.metrics?.counter(
      'trialstream_relay_events_published_total',
      'Events published by this relay process',
      () => relay.metrics.eventsPublished,
    );
    this.readiness?.add({
      name: 'relay',
      check: async () => {
        const { status: state, ...health } = relayHealth(this.relay.metrics, this.config.relayStalledAfterMs);
        const lag = await lagUpTo(maxLag + 1);
        // `status` is the check's own up/down: the relay's state goes by another name.
        return { up: state === 'ok' && lag <= maxLag, details: { state, ...health, lag, maxLag } };
      },
    });
  }

  static forRoot(options: RelayModuleOptions = {}): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        {
          provide: RELAY_PUBLISHER,
          useFactory: async (config: PlatformConfig, dataSource: DataSource, streams: TrialStreams = DEFAULT_TRIAL_STREAMS) => {
            if (!config.fieldKeyring) {
              new Logger('relay').warn(
                'FIELD_KEYS is not set: masked values are sealed with a key of this process alone, which no other process can open',
              );
            }
            const keyring = fieldKeyringFor(config);
            const versions = protocolVersionsFrom(
              await new PostgresEventStore(dataSource, { upcast: upcastStoredEvent }).readStream(streams.trial),
            );
            // the trial's masking as its log states it, not this process's PROTOCOL (in a relay of its own, the built-in one)
            const sealer = new TrialFieldSealer(streams.trial, versions, keyring);
            return new KafkaEventPublisher({
              brokers: kafkaBrokersOf(config),
              topic: trialTopic(config.kafkaTopic, streams.trialId),
              partitions: config.kafkaPartitions,
              clientId: options.clientId ?? 'trialstream-relay',
              logLevel: config.logLevel,
              // What the trial masks crosses Kafka only sealed: monitoring, a blinded-side reader, has no key.
              sealFields: sealer.seal,
              sealedEventTypes: sealer.eventTypes,
            });
          },
          inject: [PLATFORM_CONFIG, DATA_SOURCE, { token: TRIAL_STREAMS, optional: true }],
        },
        {
          provide: Relay,
          useFactory: (
            dataSource: DataSource,
            config: PlatformConfig,
            publisher: KafkaEventPublisher,
            streams: TrialStreams = DEFAULT_TRIAL_STREAMS,
          ) => {
            const { electLeader, clientId: _clientId, ...relayOptions } = options;
            const name = options.name ?? trialTopic(config.kafkaTopic, streams.trialId);
            return new Relay(
              {
                ...relayEnds(new PostgresEventStore(dataSource), publisher),
                checkpoints: new PostgresRelayCheckpoints(dataSource),
                leadership: electLeader ? new AdvisoryLockLeadership({ databaseUrl: databaseUrlOf(config), name }) : undefined,
              },
              { ...relayOptions, name },
            );
          },
          inject: [DATA_SOURCE, PLATFORM_CONFIG, RELAY_PUBLISHER, { token: TRIAL_STREAMS, optional: true }],
        },
      ],
      exports: [Relay],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    // The process's own store signals its commits in-process and others' through LISTEN; a relay process of its own
    // hears every writer's through its own store's LISTEN.
    const commits = this.processStore ?? this.ownStore;
    this.unsubscribe = commits.onCommitted?.(() => this.relay.notify());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
    await this.publisher.close();
  }
}
