import { ROLES, type EventEnvelope } from '@trialstream/domain';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isNonEmptyString: Check = (value) => typeof value === 'string' && value.length > 0;
const isNullableString: Check = (value) => value === null || typeof value === 'string';
const isDecimal: Check = (value) => typeof value === 'string' && /^\d+$/.test(value);
const isPositiveInteger: Check = (value) => Number.isInteger(value) && (value as number) >= 1;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isActor: Check = (value) => isObject(value) && isNonEmptyString(value.userId) && (ROLES as readonly unknown[]).includes(value.role);
const isAmends: Check = (value) => value === null || (isObject(value) && isNonEmptyString(value.eventId) && isString(value.reason));
const isPresent: Check = (value) => value !== undefined;

const FIELD_CHECKS: Record<keyof EventEnvelope, Check> = {
  eventId: isNonEmptyString,
  type: isNonEmptyString,
  schemaVersion: isPositiveInteger,
  streamId: isNonEmptyString,
  streamVersion: isPositiveInteger,
  globalPosition: isDecimal,
  transactionId: isDecimal,
  siteId: isNullableString,
  actor: isActor,
  occurredAt: isNonEmptyString,
  recordedAt: isNonEmptyString,
  correlationId: isNonEmptyString,
  causationId: isNullableString,
  submissionId: isNullableString,
  amends: isAmends,
  data: isPresent,
  previousHash: isNonEmptyString,
  hash: isNonEmptyString,
};

/** The first field that keeps `value` from being an EventEnvelope, or null when it is one. */
export function envelopeProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not an object';
  for (const [field, check] of Object.entries(FIELD_CHECKS)) {
    if (!check(value[field])) return `${field}: missing or malformed`;
  }
  return null;
}
