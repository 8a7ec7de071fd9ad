import { logsAt } from '@trialstream/config';

/** What the runtime reports besides its return values: dead letters and retried failures. */
export interface ProjectionLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Console output filtered by LOG_LEVEL, the same setting the apps read (see @trialstream/config). */
export function consoleLogger(context: string, level: string = process.env.LOG_LEVEL ?? 'log'): ProjectionLogger {
  const warns = logsAt(level, 'warn', 'log');
  return {
    warn: (message) => {
      if (warns) console.warn(`[${context}] ${message}`);
    },
    error: (message) => console.error(`[${context}] ${message}`),
  };
}
