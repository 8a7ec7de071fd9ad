import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { download, get } from '../../api/client';
import { Link } from '../../app/router';
import type { EventEnvelope } from '../../app/types';
import { useApi } from '../../app/use-api';
import { patientIdOfStream } from '../../domain';
import { ErrorBox, Loading, Section, TextField } from '../../components/ui';

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

/** `patient-<id>`, or `<trialId>.patient-<id>` in a deployment whose stream names carry the trial. */
const patientOf = (event: EventEnvelope): string | null => patientIdOfStream(event.streamId) ?? null;

/** The whole log, filtered in the browser and scrolled virtually (only the visible rows are in the DOM). */
export function AuditLogPage() {
  // Not live: every read of the log is itself recorded, so reloading on change would never stop.
  const log = useApi(loadLog, []);
  const [type, setType] = useState('');
  const [stream, setStream] = useState('');
  const [site, setSite] = useState('');
  const [role, setRole] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');

  const types = useMemo(() => [...new Set(log.data?.map((event) => event.type))].sort(), [log.data]);
  const rows = useMemo(
    () =>
      (log.data ?? []).filter(
        (event) =>
          (!type || event.type === type) &&
          (!stream || event.streamId.includes(stream)) &&
          (!site || event.siteId === site) &&
          (!role || event.actor?.role === role) &&
          (!from || event.recordedAt.slice(0, 10) >= from) &&
          (!until || event.recordedAt.slice(0, 10) <= until),
      ),
    [log.data, type, stream, site, role, from, until],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 30, overscan: 20 });

  return (
    <>
      <h1>Audit log</h1>
      <div className="toolbar" role="search" aria-label="Filter the log">
        <span className="field">
          <label htmlFor="f-type">Event type</label>
          <select id="f-type" value={type} onChange={(event) => setType(event.target.value)}>
            <option value="">all</option>
            {types.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </span>
        <TextField id="f-stream" label="Stream or patient" value={stream} onChange={setStream} />
        <TextField id="f-site" label="Site" value={site} onChange={setSite} />
        <TextField id="f-role" label="Actor role" value={role} onChange={setRole} />
        <TextField id="f-from" label="Recorded from" type="date" value={from} onChange={setFrom} />
        <TextField id="f-until" label="until" type="date" value={until} onChange={setUntil} />
        <button type="button" className="secondary" onClick={() => void download('/audit/events.ndjson', 'trialstream-log.ndjson')}>
          Download the log (NDJSON)
        </button>
        <button type="button" className="secondary" onClick={log.reload}>
          Refresh
        </button>
      </div>
      {log.loading && !log.data && <Loading what="the log" />}
      <ErrorBox error={log.error} />
      {log.data && (
        <Section title={`${rows.length} of ${log.data.length} events`}>
          <div className="log-row log-head" aria-hidden="true">
            <span>Position</span>
            <span>Type</span>
            <span>Stream</span>
            <span>Actor</span>
            <span>Recorded / occurred</span>
          </div>
          <div ref={scroller} className="virtual-log" data-testid="audit-log" tabIndex={0} role="region" aria-label="Events">
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {virtual.getVirtualItems().map((item) => {
                const event = rows[item.index];
                const patient = patientOf(event);
                return (
                  <div
                    key={event.eventId}
                    className="log-row"
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                  >
                    <span>{String(event.globalPosition ?? '')}</span>
                    <span>{event.type}</span>
                    <span>{patient ? <Link to={`/app/audit/patients/${patient}`}>{event.streamId}</Link> : event.streamId}</span>
                    <span>{event.actor?.role ?? ''}</span>
                    <span>
                      {event.recordedAt.slice(0, 19).replace('T', ' ')} / {event.occurredAt.slice(0, 10)}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </Section>
      )}
    </>
  );
}
