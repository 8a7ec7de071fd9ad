import { describeError } from '@trialstream/config';

/**
 * Which failures are the event's fault (poison: dead-letter it and go on) and which are the
 * infrastructure's (retry the batch later, never dead-letter): a lost connection must not send
 * good events to the dead-letter table.
 */

/** Thrown by a handler (or by RowAccess refusing what the handler asked): the event is poison. */
export class HandlerError extends Error {
  constructor(
    readonly eventId: string,
    readonly eventType: string,
    override readonly cause: unknown,
  ) {
    super(`handler for ${eventType} failed on event ${eventId}: ${describeError(cause)}`);
    this.name = 'HandlerError';
  }
}

/** A read the runtime made on a handler's behalf failed: not the event's fault. */
export class RowReadError extends Error {
  constructor(override readonly cause: unknown) {
    super(`reading the read model failed: ${describeError(cause)}`);
    this.name = 'RowReadError';
  }
}

/** A delivered event's earlier stream versions are not in the store: the feed must retry, not skip them. */
export class MissingStreamVersionsError extends Error {
  constructor(
    readonly streamId: string,
    readonly versions: number[],
  ) {
    super(`stream ${streamId} lacks versions ${versions.join(', ')} in the store`);
    this.name = 'MissingStreamVersionsError';
  }
}

export function sqlStateOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.code ?? candidate?.driverError?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Writing rows failed because of what they contain (data exception, integrity violation): caused by
 * some event of the batch, so finding it one event at a time is worthwhile.
 */
export function isRowDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}
