/**
 * Failures after which the whole batch can simply run again: nothing was committed and a fresh
 * attempt sees the state that caused them (a concurrent writer's committed stream or submission).
 */
export class ConcurrentWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentWriteError';
  }
}

const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';
const UNIQUE_VIOLATION = '23505';
/** Unique keys a writer that bypassed the stream head lock could collide on. */
const RACE_CONSTRAINTS = new Set(['events_stream_version_unique', 'streams_pkey', 'submissions_pkey']);

export function isRetryable(error: unknown): boolean {
  if (error instanceof ConcurrentWriteError) return true;
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  if (code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE) return true;
  return code === UNIQUE_VIOLATION && constraint !== undefined && RACE_CONSTRAINTS.has(constraint);
}
