import { Logger } from '@nestjs/common';
import { Kafka, logCreator, LogEntry, logLevel as KafkaLogLevel, RetryOptions } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** The platform's log level (error, warn, log, debug, verbose); defaults to env LOG_LEVEL. */
  logLevel?: string;
  /** Overrides for callers that must give up fast, e.g. a reachability check. */
  retry?: RetryOptions;
  connectionTimeout?: number;
}

// kafkajs INFO is a line per join, fetch start and connection: at the platform's normal `log` level it would drown
// the application's own lines, so kafkajs only speaks up one level later than the rest of the platform.
const KAFKA_LEVEL_FOR: Record<string, KafkaLogLevel> = {
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  log: KafkaLogLevel.WARN,
  debug: KafkaLogLevel.INFO,
  verbose: KafkaLogLevel.DEBUG,
};

function kafkaLogLevelFor(platformLevel: string | undefined): KafkaLogLevel {
  return KAFKA_LEVEL_FOR[platformLevel ?? ''] ?? KafkaLogLevel.WARN;
}

function formatEntry(entry: LogEntry): string {
  const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry.log as LogEntry['log'] & { logger?: unknown };
  const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
  return `${entry.namespace ? `${entry.namespace}: ` : ''}${message}${details}`;
}

/**
 * The connection layers log at ERROR what the layers above still retry or hand to the caller as an exception: every
 * error response (a rebalance in progress, a leader moving) and every refused attempt at a seed broker. As errors
 * they would cry wolf on each rebalance or broker restart, so responses go to debug and refused attempts to warn.
 */
const DOWNGRADED_ERRORS: Record<string, KafkaLogLevel> = {
  Connection: KafkaLogLevel.DEBUG,
  BrokerPool: KafkaLogLevel.WARN,
};

/**
 * kafkajs warns on every start that an idempotent producer with bounded retries may break exactly-once delivery.
 * The relay bounds them on purpose: it delivers at least once, and after a failed send it republishes the page with
 * a fresh producer rather than let one send block for ever.
 */
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer'];

function effectiveLevel(entry: LogEntry): KafkaLogLevel {
  if (entry.level === KafkaLogLevel.WARN && EXPECTED_WARNINGS.some((start) => entry.log.message?.startsWith(start))) {
    return KafkaLogLevel.DEBUG;
  }
  if (entry.level !== KafkaLogLevel.ERROR) return entry.level;
  return DOWNGRADED_ERRORS[entry.namespace] ?? entry.level;
}

function routeToPlatformLogger(threshold: KafkaLogLevel): logCreator {
  const logger = new Logger('kafkajs');
  return () => (entry) => {
    const level = effectiveLevel(entry);
    if (level === KafkaLogLevel.NOTHING || level > threshold) return;
    const line = formatEntry(entry);
    if (level === KafkaLogLevel.ERROR) logger.error(line);
    else if (level === KafkaLogLevel.WARN) logger.warn(line);
    else if (level === KafkaLogLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
}

/** The one place that constructs kafkajs clients, so that a KafkaJS-compatible client can replace it here alone. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const threshold = kafkaLogLevelFor(options.logLevel ?? process.env.LOG_LEVEL);
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: 30000,
    // Rides out a broker restart or a leader election (about half a minute in all) before giving up.
    retry: options.retry ?? { initialRetryTime: 200, maxRetryTime: 5000, retries: 10 },
    // kafkajs filters by its own level before calling the log creator; filtering there too keeps one rule.
    logLevel: threshold,
    logCreator: routeToPlatformLogger(threshold),
  });
}
