import { CLINICAL_TIME_FIELD, StreamEntry } from '@trialstream/domain';

const SEGMENT = /^([A-Za-z][A-Za-z0-9]*)((?:\[\d+\])*)$/;

/**
 * The value a field path (`administeredDoseMg`, `nerves[1].snapAmplitudeUv`, `occurredAt`) names in an
 * entry as it stands now, after corrections; undefined when the entry no longer has it. Paths were
 * checked against the event type when the query was raised (`fieldPathProblem`).
 */
export function fieldValueOf(entry: Pick<StreamEntry, 'occurredAt' | 'data'>, path: string): unknown {
  if (path === CLINICAL_TIME_FIELD) return entry.occurredAt;
  let value: unknown = entry.data;
  for (const segment of path.split('.')) {
    const match = SEGMENT.exec(segment);
    if (!match || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const [, name, indexes] = match;
    value = Object.prototype.hasOwnProperty.call(value, name) ? (value as Record<string, unknown>)[name] : undefined;
    for (const index of (indexes.match(/\d+/g) ?? []).map(Number)) {
      if (!Array.isArray(value)) return undefined;
      value = value[index];
    }
  }
  return value;
}
