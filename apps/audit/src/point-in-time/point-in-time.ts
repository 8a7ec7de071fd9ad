import type { ReadStreamOptions } from '@trialstream/event-store';

/** A moment of the log's past: a global position, or a recorded-at instant (both inclusive). */
export type PointInTime = { kind: 'position'; position: string } | { kind: 'recorded-at'; at: string };

/** A full date-time with its offset: a bare date or local time would leave the auditor's moment ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const POSITION = /^\d{1,18}$/;

export class InvalidPointInTimeError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidPointInTimeError';
  }
}

export function positionPoint(position: string): PointInTime {
  if (!POSITION.test(position))
    throw new InvalidPointInTimeError('position', 'global-position', `position must be a global position (digits), not "${position}"`);
  return { kind: 'position', position: BigInt(position).toString() };
}

const isCalendarDate = (date: string): boolean => {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === date;
};

export function instantPoint(at: string): PointInTime {
  const time = INSTANT.test(at) && isCalendarDate(at.slice(0, 10)) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new InvalidPointInTimeError(
      'at',
      'instant',
      `at must be an ISO 8601 date-time with an offset, e.g. 2026-06-01T12:00:00Z, not "${at}"`,
    );
  }
  return { kind: 'recorded-at', at: new Date(time).toISOString() };
}

/** From a query with exactly one of `at` and `position`. */
export function pointInTimeOf(query: { at?: string; position?: string }): PointInTime {
  if ((query.at === undefined) === (query.position === undefined)) {
    throw new InvalidPointInTimeError(
      'at',
      'exactly-one-of-at-or-position',
      'give exactly one of at (a recorded-at instant) or position (a global position)',
    );
  }
  return query.position !== undefined ? positionPoint(query.position) : instantPoint(query.at!);
}

/** From the command line's `--until`: digits are a position, anything else must be an instant. */
export function parseUntil(text: string): PointInTime {
  return /^\d+$/.test(text) ? positionPoint(text) : instantPoint(text);
}

/** The event store's read bound for the moment. */
export function readBoundOf(point: PointInTime): ReadStreamOptions {
  return point.kind === 'position' ? { untilGlobalPosition: point.position } : { untilRecordedAt: new Date(point.at) };
}

export function describePointInTime(point: PointInTime): string {
  return point.kind === 'position' ? `global position ${point.position}` : `recorded at or before ${point.at}`;
}
