import type { Projection } from './projection';
import { assertPlainName, qualified, quoteIdent } from './sql-identifiers';
import { SQL_TYPES, type ResolvedTable } from './table-spec';

/** The runtime's own tables, kept beside the read model in the same schema and transaction. */
export const STREAMS_TABLE = '_streams';
export const CHECKPOINT_TABLE = '_checkpoint';
export const DEAD_LETTERS_TABLE = '_dead_letters';
export const BOOKKEEPING_TABLES = [STREAMS_TABLE, CHECKPOINT_TABLE, DEAD_LETTERS_TABLE] as const;

/** The role the applications run as (see the event store's migrations); granted the read model when it exists. */
const APPLICATION_ROLE = 'trialstream_app';

function tableDdl(schema: string, table: ResolvedTable): string[] {
  const columns = table.columns.map(
    (column) => `${quoteIdent(column.name)} ${SQL_TYPES[column.type]}${column.nullable ? '' : ' NOT NULL'}`,
  );
  const primaryKey = `PRIMARY KEY (${table.primaryKey.map((column) => quoteIdent(column.name)).join(', ')})`;
  return [
    `CREATE TABLE ${qualified(schema, table.name)} (${[...columns, primaryKey].join(', ')})`,
    ...table.indexes.map(
      (index) =>
        `CREATE INDEX ${quoteIdent(`${table.name}_${index.join('_')}`.slice(0, 63))} ON ${qualified(schema, table.name)} (${index.map(quoteIdent).join(', ')})`,
    ),
  ];
}

/**
 * Every statement that creates the projection's schema, read-model tables and bookkeeping under
 * `schema`: the live schema (through the migration) and a rebuild's scratch schema come from here.
 */
export function projectionSchemaDdl(projection: Projection, schema: string = projection.schema): string[] {
  assertPlainName('schema', schema);
  const s = (table: string) => qualified(schema, table);
  return [
    `CREATE SCHEMA ${quoteIdent(schema)}`,
    ...[...projection.resolvedTables.values()].flatMap((table) => tableDdl(schema, table)),
    `CREATE TABLE ${s(STREAMS_TABLE)} (stream_id text PRIMARY KEY, version integer NOT NULL CHECK (version >= 1))`,
    // One row: where a store-fed runner resumes, in the store's catch-up order.
    `CREATE TABLE ${s(CHECKPOINT_TABLE)} (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       projection text NOT NULL,
       projection_version integer NOT NULL,
       transaction_id xid8 NOT NULL,
       global_position bigint NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now())`,
    `INSERT INTO ${s(CHECKPOINT_TABLE)} (projection, projection_version, transaction_id, global_position)
       VALUES (${literal(projection.name)}, ${projection.version}, '0', 0)`,
    `CREATE TABLE ${s(DEAD_LETTERS_TABLE)} (
       event_id uuid PRIMARY KEY,
       stream_id text NOT NULL,
       stream_version integer NOT NULL,
       type text NOT NULL,
       error text NOT NULL,
       event jsonb NOT NULL,
       failed_at timestamptz NOT NULL DEFAULT now())`,
    `DO $grant$ BEGIN
       IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(APPLICATION_ROLE)}) THEN
         GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${APPLICATION_ROLE};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${APPLICATION_ROLE};
       END IF;
     END $grant$`,
  ];
}

export const dropSchemaSql = (schema: string): string => {
  assertPlainName('schema', schema);
  return `DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`;
};

/** Only for names already checked by assertPlainName and for the runtime's constants. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
