/** Where the store lives in PostgreSQL; one place so SQL in every module agrees. */
export const EVENT_STORE_SCHEMA = 'event_store';
export const EVENTS_TABLE = `${EVENT_STORE_SCHEMA}.events`;
export const STREAMS_TABLE = `${EVENT_STORE_SCHEMA}.streams`;
export const SUBMISSIONS_TABLE = `${EVENT_STORE_SCHEMA}.submissions`;
/** The role the applications should run as: it may read and append events, never change them. */
export const APPLICATION_ROLE = 'trialstream_app';
