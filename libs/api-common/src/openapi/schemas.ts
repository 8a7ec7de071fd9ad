import type { ApiPropertyOptions } from '@nestjs/swagger';

/** Counts by key: an object with exactly these keys (a TypeScript `Record<K, number>`). */
export const countsBy = (keys: readonly string[]): ApiPropertyOptions => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((key) => [key, { type: 'integer' as const }])),
  required: [...keys],
  // `required` above lists the keys; whether the property itself is required is `selfRequired`
  selfRequired: true,
});

/** Any JSON value (OpenAPI 3.0 has no `type` for it): a payload field whose type depends on the event. */
export const anyJsonValue = (description: string) => ({
  description,
  nullable: true,
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }],
});
