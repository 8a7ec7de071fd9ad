import { ConfigError, loadConfig } from './config';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { liveProtocol, ProtocolHolder } from './protocol-holder';

describe('platform configuration', () => {
  it('defaults to the embedded mode: no database URL, no Kafka, data in ./data', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.kafkaBrokers).toBeNull();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.kafkaTopic).toBe('trial-events');
    expect(config.kafkaPartitions).toBe(12);
    expect(config.port).toBe(3000);
    expect(config.kafkaSessionTimeoutMs).toBe(30_000);
    expect(config.heapGrowthPercent).toBe(100);
  });

  it('switches to a real PostgreSQL and Kafka when their settings are given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://app@db:5432/trial',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      KAFKA_PARTITIONS: '24',
    });
    expect(config.databaseUrl).toBe('postgres://app@db:5432/trial');
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.kafkaPartitions).toBe(24);
  });

  it('treats blank settings as absent', () => {
    expect(loadConfig({ DATABASE_URL: '', KAFKA_BROKERS: '' })).toMatchObject({ databaseUrl: null, kafkaBrokers: null });
  });

  it('refuses a malformed setting, naming it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ KAFKA_PARTITIONS: '0' })).toThrow(/KAFKA_PARTITIONS/);
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '1000' })).toThrow(/KAFKA_SESSION_TIMEOUT_MS/);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '-5' })).toThrow(/HEAP_GROWTH_PERCENT must not be less than 0/);
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: '1000' })).toThrow(/HEAP_GROWTH_PERCENT must not be greater than 400/);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({}).monitoringWarmUpSeconds).toBe(5);
    expect(loadConfig({ MONITORING_WARM_UP_SECONDS: '0' }).monitoringWarmUpSeconds).toBe(0);
    expect(() => loadConfig({ MONITORING_WARM_UP_SECONDS: 'often' })).toThrow(/MONITORING_WARM_UP_SECONDS/);
  });

  it('picks the protocol activated on first start: PROTOCOL_FILE, else the shipped file TRIAL_PROTOCOL names, else none', () => {
    expect(loadConfig({}).protocolFile).toBeNull();
    expect(loadConfig({ TRIAL_PROTOCOL: 'pilot' }).protocolFile).toMatch(/protocols\/anti-mag-rituximab-pilot\.yaml$/);
    expect(loadConfig({ TRIAL_PROTOCOL: 'placebo' }).protocolFile).toMatch(/protocols\/anti-mag-rituximab-placebo\.yaml$/);
    expect(loadConfig({ TRIAL_PROTOCOL: 'pilot', PROTOCOL_FILE: '/srv/trial.yaml' }).protocolFile).toBe('/srv/trial.yaml');
    expect(() => loadConfig({ TRIAL_PROTOCOL: 'sensory' })).toThrow(/TRIAL_PROTOCOL must be one of placebo, pilot/);
  });

  it("lets PROTOCOL follow the version in force: property reads, spreads and `in` see the holder's current definition", () => {
    const holder = new ProtocolHolder(ANTI_MAG_RITUXIMAB_PROTOCOL);
    const protocol = liveProtocol(holder);
    holder.current = { ...ANTI_MAG_RITUXIMAB_PROTOCOL, id: 'amended', maskedAnalytes: [] };
    expect(protocol.id).toBe('amended');
    expect({ ...protocol }.maskedAnalytes).toEqual([]);
    expect('schedule' in protocol).toBe(true);
  });
});
