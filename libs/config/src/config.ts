import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { resolve } from 'node:path';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** Every setting the platform reads from its environment, with the embedded mode's safe defaults. */
class Environment {
  @IsOptional() @Transform(blankToUndefined) @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @Transform(blankToUndefined) @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS?: string;

  @IsOptional() @IsString() @Matches(/^[a-zA-Z0-9._-]+$/)
  KAFKA_TOPIC?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  KAFKA_PARTITIONS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST?: string;

  @IsOptional() @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  SESSION_IDLE_MINUTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(7 * 24)
  SESSION_ABSOLUTE_HOURS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  LOGIN_LOCKOUT_ATTEMPTS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  LOGIN_LOCKOUT_WINDOW_MINUTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 60)
  LOGIN_LOCKOUT_MINUTES?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(30 * 24)
  ACTIVATION_CODE_HOURS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(24 * 60)
  SIGNATURE_CONTINUITY_MINUTES?: number;
}

export interface PlatformConfig {
  /** Absent: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Absent: events reach projections in-process, straight from the store. */
  kafkaBrokers: string[] | null;
  kafkaTopic: string;
  kafkaPartitions: number;
  port: number;
  host: string;
  logLevel: LogLevel;
  dbPoolSize: number;
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
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? '127.0.0.1',
    logLevel: parsed.LOG_LEVEL ?? 'log',
    dbPoolSize: parsed.DB_POOL_SIZE ?? 10,
    auth: {
      sessionIdleMinutes: parsed.SESSION_IDLE_MINUTES ?? 30,
      sessionAbsoluteHours: parsed.SESSION_ABSOLUTE_HOURS ?? 12,
      lockoutAttempts: parsed.LOGIN_LOCKOUT_ATTEMPTS ?? 5,
      lockoutWindowMinutes: parsed.LOGIN_LOCKOUT_WINDOW_MINUTES ?? 15,
      lockoutMinutes: parsed.LOGIN_LOCKOUT_MINUTES ?? 15,
      activationCodeHours: parsed.ACTIVATION_CODE_HOURS ?? 72,
      signatureContinuityMinutes: parsed.SIGNATURE_CONTINUITY_MINUTES ?? 15,
    },
  };
}
