import { BeforeApplicationShutdown, DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { fieldKeyringFor, PLATFORM_CONFIG, PROTOCOL, type PlatformConfig } from '@trialstream/config';
import type { ProtocolDefinition } from '@trialstream/domain';
import { sealMaskedFields } from '@trialstream/field-crypto';
import { DATA_SOURCE } from '@trialstream/database';
import { EVENT_STORE, PostgresEventStore } from '@trialstream/event-store';
import { KafkaEventPublisher } from '@trialstream/messaging';
import type { DataSource } from 'typeorm';
import { Relay, type RelayOptions } from './relay';
import { PostgresRelayCheckpoints } from './relay-checkpoints';

export interface RelayModuleOptions extends Partial<RelayOptions> {
  /** Kafka client id (default trialstream-relay). */
  clientId?: string;
}

const RELAY_PUBLISHER = 'RELAY_PUBLISHER';

function kafkaBrokersOf(config: PlatformConfig): string[] {
  if (!config.kafkaBrokers) throw new Error('The relay publishes to Kafka: set KAFKA_BROKERS (host:port[,host:port...])');
  return config.kafkaBrokers;
}

/** What the relay needs of the process's own store: word of each commit. */
interface CommitNotifier {
  onCommitted?(listener: () => void): () => void;
}

/**
 * Runs the relay inside the importing process: started once the application is up, stopped before the database
 * closes. Needs DATA_SOURCE (DatabaseModule, migrated with RELAY_MIGRATIONS) and PLATFORM_CONFIG (KAFKA_BROKERS,
 * KAFKA_TOPIC, KAFKA_PARTITIONS). When the process appends through EVENT_STORE (EventStoreModule), the relay wakes on
 * each of its commits; otherwise (a relay process of its own) it polls. Exports `Relay`.
 */
@Module({})
export class RelayModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly relay: Relay,
    @Inject(RELAY_PUBLISHER) private readonly publisher: KafkaEventPublisher,
    @Optional() @Inject(EVENT_STORE) private readonly processStore?: CommitNotifier,
  ) {}

  static forRoot(options: RelayModuleOptions = {}): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        {
          provide: RELAY_PUBLISHER,
          useFactory: (config: PlatformConfig, protocol: ProtocolDefinition) => {
            if (!config.fieldKeyring) {
              new Logger('relay').warn('FIELD_KEYS is not set: masked values are sealed with a key of this process alone, which no other process can open');
            }
            const keyring = fieldKeyringFor(config);
            return new KafkaEventPublisher({
              brokers: kafkaBrokersOf(config),
              topic: config.kafkaTopic,
              partitions: config.kafkaPartitions,
              clientId: options.clientId ?? 'trialstream-relay',
              logLevel: config.logLevel,
              // What the protocol masks crosses Kafka only sealed: monitoring, a blinded-side reader, has no key.
              sealFields: (event) => sealMaskedFields(event, protocol, keyring),
            });
          },
          inject: [PLATFORM_CONFIG, PROTOCOL],
        },
        {
          provide: Relay,
          useFactory: (dataSource: DataSource, config: PlatformConfig, publisher: KafkaEventPublisher) =>
            new Relay(
              // No upcaster: the topic carries events exactly as stored (and as their hashes certify them).
              { log: new PostgresEventStore(dataSource), checkpoints: new PostgresRelayCheckpoints(dataSource), sink: publisher },
              { ...options, name: options.name ?? config.kafkaTopic },
            ),
          inject: [DATA_SOURCE, PLATFORM_CONFIG, RELAY_PUBLISHER],
        },
      ],
      exports: [Relay],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.unsubscribe = this.processStore?.onCommitted?.(() => this.relay.notify());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
    await this.publisher.close();
  }
}
