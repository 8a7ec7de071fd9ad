/** What the runtime reports besides its return values: dead letters and retried failures. */
export interface ProjectionLogger {
  warn(message: string): void;
  error(message: string): void;
}

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Console output filtered by LOG_LEVEL, the same setting the apps read (see @trialstream/config). */
export function consoleLogger(context: string, level: string = process.env.LOG_LEVEL ?? 'log'): ProjectionLogger {
  const rank = LEVELS.indexOf(level) < 0 ? LEVELS.indexOf('log') : LEVELS.indexOf(level);
  return {
    warn: (message) => {
      if (rank >= 1) console.warn(`[${context}] ${message}`);
    },
    error: (message) => console.error(`[${context}] ${message}`),
  };
}
