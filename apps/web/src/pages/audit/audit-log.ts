import { useMemo } from 'react';
import { get } from '../../api/client';
import type { EventEnvelope } from '../../app/types';
import { useApi } from '../../app/use-api';
import { useFields } from '../../app/use-fields';

interface LogPage {
  events: EventEnvelope[];
  nextAfterPosition: string | null;
}

const PAGE = 1000;
/** Enough for a browser to hold and filter; the NDJSON download has the whole log. */
const MAX_EVENTS = 50_000;

async function loadLog(): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  let after = '0';
  while (events.length < MAX_EVENTS) {
    const page = await get<LogPage>('/audit/events', { afterPosition: after, limit: PAGE });
    events.push(...page.events);
    if (!page.nextAfterPosition || page.events.length === 0) break;
    after = page.nextAfterPosition;
  }
  return events;
}

const NO_FILTERS = { type: '', stream: '', site: '', role: '', from: '', until: '' };
export type LogFilters = ReturnType<typeof useFields<typeof NO_FILTERS>>;

const matches = (event: EventEnvelope, { type, stream, site, role, from, until }: typeof NO_FILTERS) =>
  (!type || event.type === type) &&
  (!stream || event.streamId.includes(stream)) &&
  (!site || event.siteId === site) &&
  (!role || event.actor?.role === role) &&
  (!from || event.recordedAt.slice(0, 10) >= from) &&
  (!until || event.recordedAt.slice(0, 10) <= until);

/** The log as far as the browser holds it, its event types, the filters, and the events they let through. */
export function useAuditLog() {
  // Not live: every read of the log is itself recorded, so reloading on change would never stop.
  const log = useApi(loadLog, []);
  const filters = useFields(NO_FILTERS);
  const types = useMemo(() => [...new Set(log.data?.map((event) => event.type))].sort(), [log.data]);
  const { values } = filters;
  const rows = useMemo(() => (log.data ?? []).filter((event) => matches(event, values)), [log.data, values]);
  return { log, filters, types, rows };
}
