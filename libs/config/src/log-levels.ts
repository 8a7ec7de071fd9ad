/** The one ladder of LOG_LEVEL values, least to most verbose (Nest's names; Kafka's are mapped in @trialstream/messaging). */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const rankOf = (level: string, unknownAs: LogLevel): number => {
  const rank = LOG_LEVELS.indexOf(level as LogLevel);
  return rank < 0 ? LOG_LEVELS.indexOf(unknownAs) : rank;
};

/** Every level a logger set to `level` emits: Nest's `logger` option. */
export const levelsUpTo = (level: LogLevel): LogLevel[] => LOG_LEVELS.slice(0, rankOf(level, level) + 1);

/** Whether a logger set to `level` emits messages of level `at`; a value off the ladder counts as `unknownAs`. */
export const logsAt = (level: string, at: LogLevel, unknownAs: LogLevel): boolean => rankOf(level, unknownAs) >= rankOf(at, at);
