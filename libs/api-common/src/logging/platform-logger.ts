import { Injectable } from '@nestjs/common';
import type { LogLevel } from '@trialstream/config';
import { Logger } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';

const PINO_LEVEL: Record<LogLevel, pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Nest's start-up chatter (a line per module and per route) belongs at debug, not in every start's output. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

export interface LogOutput {
  level: LogLevel;
  /** `pretty` only in a terminal (and when pino-pretty is installed); JSON lines otherwise. */
  format?: 'json' | 'pretty';
  /** Where JSON lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

function prettyWanted(output: LogOutput): boolean {
  if (output.destination || output.format === 'json') return false;
  if (output.format !== 'pretty' && !process.stdout.isTTY) return false;
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/**
 * The process's one pino logger. What goes into a line is chosen where it is written: requests are logged
 * by method, route path, status and duration, never by body or headers, so no value a client sent (a masked
 * analyte, a key) reaches the log. pino-pretty is loaded (in pino's worker) only for a terminal.
 */
export function createPinoLogger(output: LogOutput): Pino {
  const options: pino.LoggerOptions = {
    level: PINO_LEVEL[output.level],
    redact: { paths: ['req.headers', 'res.headers', 'headers', '*.authorization', '*.cookie'], remove: true },
  };
  if (prettyWanted(output))
    return pino({ ...options, transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } });
  return output.destination ? pino(options, output.destination) : pino(options);
}

/** nestjs-pino's Nest logger with the start-up chatter moved to debug. */
@Injectable()
export class PlatformLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) return super.debug(message, ...optionalParams);
    return super.log(message, ...optionalParams);
  }
}
