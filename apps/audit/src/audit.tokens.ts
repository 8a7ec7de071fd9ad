/** The read models `GET /audit/verify` compares with a rebuild and `/audit/projections/:name/as-of` replays. */
export const AUDITED_PROJECTIONS = 'AUDITED_PROJECTIONS';
