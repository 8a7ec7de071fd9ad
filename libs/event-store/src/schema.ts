/** Where the store lives in PostgreSQL; one place so SQL in every module agrees. */
export const EVENT_STORE_SCHEMA = 'event_store';
export const EVENTS_TABLE = `${EVENT_STORE_SCHEMA}.events`;
export const STREAMS_TABLE = `${EVENT_STORE_SCHEMA}.streams`;
export const SUBMISSIONS_TABLE = `${EVENT_STORE_SCHEMA}.submissions`;
/** The one trial whose id the deployment's stream names carry (or none: the default trial). */
export const DEPLOYMENT_TRIAL_TABLE = `${EVENT_STORE_SCHEMA}.deployment_trial`;
/** What only verifying roles read: each event's chain salt and where each chain format starts. */
export const CHAIN_SECRETS_SCHEMA = 'event_audit';
export const EVENT_SALTS_TABLE = `${CHAIN_SECRETS_SCHEMA}.event_salts`;
export const CHAIN_FORMATS_TABLE = `${CHAIN_SECRETS_SCHEMA}.chain_formats`;
/** The role of services that verify the chain (the audit service): the only one that reads salts. */
export const VERIFIER_ROLE = 'trialstream_auditor';
/** The role the applications should run as: it may read and append events, never change them. */
export const APPLICATION_ROLE = 'trialstream_app';

/**
 * Creates the application role if missing. Roles are cluster-wide and several databases (test suites,
 * services) may migrate at once, so a concurrent creation is not an error.
 */
export const ENSURE_APPLICATION_ROLE_SQL = `
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APPLICATION_ROLE}') THEN
      CREATE ROLE ${APPLICATION_ROLE} NOLOGIN;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
  END
  $$`;

/** Like ENSURE_APPLICATION_ROLE_SQL, for the verifying role. */
export const ENSURE_VERIFIER_ROLE_SQL = ENSURE_APPLICATION_ROLE_SQL.replace(new RegExp(APPLICATION_ROLE, 'g'), VERIFIER_ROLE);

/**
 * Statements that make a table append-only for every role, superusers and replicas included (hence
 * ENABLE ALWAYS): a statement-level trigger raising on UPDATE, DELETE and TRUNCATE.
 */
export const appendOnlyTriggerSql = (schema: string, table: string): string[] => [
  `CREATE TRIGGER ${table}_append_only
   BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.${table}
   FOR EACH STATEMENT EXECUTE FUNCTION event_store.reject_history_change()`,
  `ALTER TABLE ${schema}.${table} ENABLE ALWAYS TRIGGER ${table}_append_only`,
];
