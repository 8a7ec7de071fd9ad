import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { resolve } from 'node:path';

import { LOG_LEVELS, type LogLevel } from './log-levels';

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

  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000)
  MIN_POSITION_WAIT_MS?: number;
}

export interface PlatformConfig {
  /** Absent: the embedded PostgreSQL server, its cluster in `dataDir/postgres`. */
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
  /** How long a read with `minPosition` waits for its read model before answering 503. */
  minPositionWaitMs: number;
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
    minPositionWaitMs: parsed.MIN_POSITION_WAIT_MS ?? 2000,
  };
}
