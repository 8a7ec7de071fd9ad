import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ephemeralFieldKeyring, FieldKeyConfigError, parseFieldKeys, type FieldKeyring } from '@trialstream/field-crypto';

import { LOG_LEVELS, type LogLevel } from './log-levels';

/** The protocol files shipped in ./protocols, by short name. */
export const TRIAL_PROTOCOLS = ['placebo', 'pilot'] as const;
export type TrialProtocol = (typeof TRIAL_PROTOCOLS)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Every setting the platform reads from its environment, with the embedded mode's safe defaults. */
class Environment {
  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z0-9._-]+$/)
  KAFKA_TOPIC?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_PARTITIONS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(6_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  MIN_POSITION_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(400)
  HEAP_GROWTH_PERCENT?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(TRIAL_PROTOCOLS, { message: `TRIAL_PROTOCOL must be one of ${TRIAL_PROTOCOLS.join(', ')}` })
  TRIAL_PROTOCOL?: TrialProtocol;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  PROTOCOL_FILE?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24)
  SESSION_ABSOLUTE_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_LOCKOUT_ATTEMPTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCKOUT_WINDOW_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCKOUT_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 24)
  ACTIVATION_CODE_HOURS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  SIGNATURE_CONTINUITY_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  READY_MAX_RELAY_LAG?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  READY_MAX_PROJECTION_LAG?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  RELAY_STALLED_AFTER_MS?: number;
  @IsOptional()
  @IsString()
  WEB_DIR?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_080)
  AUDIT_CHECKPOINT_MINUTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600)
  MONITORING_WARM_UP_SECONDS?: number;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  FIELD_KEYS?: string;

  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  FIELD_KEY_ID?: string;
}

export interface PlatformConfig {
  /** Absent: the embedded PostgreSQL server, its cluster in `dataDir/postgres`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Absent: events reach projections in-process, straight from the store. */
  kafkaBrokers: string[] | null;
  kafkaTopic: string;
  kafkaPartitions: number;
  /** How long a consumer group waits for a silent instance before moving its partitions (default 30 s). */
  kafkaSessionTimeoutMs: number;
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Absent: pretty in a terminal (when pino-pretty is installed), JSON lines otherwise. */
  logFormat?: 'json' | 'pretty';
  dbPoolSize: number;
  /** How long a read with `minPosition` waits for its read model before answering 503. */
  minPositionWaitMs: number;
  /** How far the JavaScript heap may grow past what the last full collection kept, in percent; 0: V8's own rule. */
  heapGrowthPercent: number;
  /**
   * The protocol file activated on first start when the trial stream holds no protocol version yet:
   * PROTOCOL_FILE, or the shipped file TRIAL_PROTOCOL names. Null: the built-in first protocol, not logged
   * (tests); `npm start` defaults to the placebo-controlled trial.
   */
  protocolFile: string | null;

  /** Sessions, lockout, activation codes and signature re-authentication (libs/auth's AuthSettings). */
  auth: {
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
    lockoutAttempts: number;
    lockoutWindowMinutes: number;
    lockoutMinutes: number;
    activationCodeHours: number;
    signatureContinuityMinutes: number;
  };
  /** Readiness is down while more events than this wait for the relay, or for any one projection. */
  readyMaxRelayLag: number;
  readyMaxProjectionLag: number;
  /** The relay reports `stalled` when its position has not moved for this long while events wait. */
  relayStalledAfterMs: number;
  /** The web app's built static files (`npm run build:web`), served at `/`. */
  webDir: string;
  /** How often the audit service records a checkpoint of the log; 0: never (only `npm run audit:checkpoint`). */
  auditCheckpointMinutes: number;
  /** How often monitoring folds today's figures of quiet sites ahead of their reads; 0: never (each read folds what it needs). */
  monitoringWarmUpSeconds: number;
  /**
   * Keys that seal masked values on Kafka (FIELD_KEYS, FIELD_KEY_ID). Give them only to the services of
   * the unblinded side (relay, analysis, audit); absent: a key of this process alone (embedded mode).
   */
  fieldKeyring: FieldKeyring | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const parsed = plainToInstance(Environment, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return {
    databaseUrl: parsed.DATABASE_URL ?? null,
    dataDir: resolve(parsed.DATA_DIR ?? 'data'),
    kafkaBrokers: parsed.KAFKA_BROKERS ? parsed.KAFKA_BROKERS.split(',') : null,
    kafkaTopic: parsed.KAFKA_TOPIC ?? 'trial-events',
    kafkaPartitions: parsed.KAFKA_PARTITIONS ?? 12,
    kafkaSessionTimeoutMs: parsed.KAFKA_SESSION_TIMEOUT_MS ?? 30_000,
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? '127.0.0.1',
    logLevel: parsed.LOG_LEVEL ?? 'log',
    logFormat: parsed.LOG_FORMAT,
    dbPoolSize: parsed.DB_POOL_SIZE ?? 10,
    minPositionWaitMs: parsed.MIN_POSITION_WAIT_MS ?? 2000,
    heapGrowthPercent: parsed.HEAP_GROWTH_PERCENT ?? 100,
    protocolFile: parsed.PROTOCOL_FILE
      ? resolve(parsed.PROTOCOL_FILE)
      : parsed.TRIAL_PROTOCOL
        ? shippedProtocolFile(parsed.TRIAL_PROTOCOL)
        : null,
    auth: {
      sessionIdleMinutes: parsed.SESSION_IDLE_MINUTES ?? 30,
      sessionAbsoluteHours: parsed.SESSION_ABSOLUTE_HOURS ?? 12,
      lockoutAttempts: parsed.LOGIN_LOCKOUT_ATTEMPTS ?? 5,
      lockoutWindowMinutes: parsed.LOGIN_LOCKOUT_WINDOW_MINUTES ?? 15,
      lockoutMinutes: parsed.LOGIN_LOCKOUT_MINUTES ?? 15,
      activationCodeHours: parsed.ACTIVATION_CODE_HOURS ?? 72,
      signatureContinuityMinutes: parsed.SIGNATURE_CONTINUITY_MINUTES ?? 15,
    },
    readyMaxRelayLag: parsed.READY_MAX_RELAY_LAG ?? 10_000,
    readyMaxProjectionLag: parsed.READY_MAX_PROJECTION_LAG ?? 10_000,
    relayStalledAfterMs: parsed.RELAY_STALLED_AFTER_MS ?? 10_000,
    webDir: resolve(parsed.WEB_DIR ?? 'apps/web/dist'),
    auditCheckpointMinutes: parsed.AUDIT_CHECKPOINT_MINUTES ?? 60,
    monitoringWarmUpSeconds: parsed.MONITORING_WARM_UP_SECONDS ?? 5,
    fieldKeyring: fieldKeyringOf(parsed.FIELD_KEYS, parsed.FIELD_KEY_ID),
  };
}

/** The path of a protocol file shipped with the platform (./protocols), from the sources or from the compiled dist/. */
export const shippedProtocolFile = (name: TrialProtocol): string =>
  resolve(PROTOCOLS_DIR, name === 'pilot' ? 'anti-mag-rituximab-pilot.yaml' : 'anti-mag-rituximab-placebo.yaml');

const PROTOCOLS_DIR =
  [resolve(__dirname, '../../../protocols'), resolve(__dirname, '../../../../protocols')].find((dir) => existsSync(dir)) ??
  resolve(__dirname, '../../../protocols');

function fieldKeyringOf(keys: string | undefined, currentId: string | undefined): FieldKeyring | null {
  if (keys === undefined) {
    if (currentId !== undefined) throw new ConfigError('Invalid configuration: FIELD_KEY_ID: needs FIELD_KEYS');
    return null;
  }
  try {
    return parseFieldKeys(keys, currentId);
  } catch (error) {
    if (error instanceof FieldKeyConfigError) throw new ConfigError(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

const processKeyrings = new WeakMap<PlatformConfig, FieldKeyring>();

/**
 * The keyring that seals masked values: the configured one, or one key for this process alone (embedded
 * mode, where sealed fields never leave the process). The same for every module of one configuration.
 */
export function fieldKeyringFor(config: PlatformConfig): FieldKeyring {
  if (config.fieldKeyring) return config.fieldKeyring;
  let keyring = processKeyrings.get(config);
  if (!keyring) {
    keyring = ephemeralFieldKeyring();
    processKeyrings.set(config, keyring);
  }
  return keyring;
}
