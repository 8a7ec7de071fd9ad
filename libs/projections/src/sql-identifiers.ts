/**
 * Projection, schema, table and column names end up inside SQL text (identifiers cannot be bound as
 * parameters), so they are restricted to plain lower-case names and always quoted.
 */
const PLAIN_NAME = /^[a-z][a-z0-9_]*$/;
/** PostgreSQL truncates longer identifiers silently, which could make two names collide. */
const MAX_IDENTIFIER_LENGTH = 63;

export function assertPlainName(kind: string, name: string): void {
  if (!PLAIN_NAME.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(
      `${kind} "${name}" must be lower-case letters, digits and underscores, start with a letter and be at most 63 characters`,
    );
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const qualified = (schema: string, table: string): string => `${quoteIdent(schema)}.${quoteIdent(table)}`;
