import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Link } from '../../app/router';
import type { EventEnvelope } from '../../app/types';
import { patientIdOfStream } from '../../domain';

/** `patient-<id>`, or `<trialId>.patient-<id>` in a deployment whose stream names carry the trial. */
const patientOf = (event: EventEnvelope): string | null => patientIdOfStream(event.streamId) ?? null;

function LogRow({ event }: { event: EventEnvelope }) {
  const patient = patientOf(event);
  return (
    <>
      <span>{String(event.globalPosition ?? '')}</span>
      <span>{event.type}</span>
      <span>{patient ? <Link to={`/app/audit/patients/${patient}`}>{event.streamId}</Link> : event.streamId}</span>
      <span>{event.actor?.role ?? ''}</span>
      <span>
        {event.recordedAt.slice(0, 19).replace('T', ' ')} / {event.occurredAt.slice(0, 10)}
      </span>
    </>
  );
}

/** The events scrolled virtually: only the visible rows are in the DOM. */
export function VirtualLog({ rows }: { rows: EventEnvelope[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 30, overscan: 20 });
  return (
    <>
      <div className="log-row log-head" aria-hidden="true">
        <span>Position</span>
        <span>Type</span>
        <span>Stream</span>
        <span>Actor</span>
        <span>Recorded / occurred</span>
      </div>
      <div ref={scroller} className="virtual-log" data-testid="audit-log" tabIndex={0} role="region" aria-label="Events">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => (
            <div
              key={rows[item.index].eventId}
              className="log-row"
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <LogRow event={rows[item.index]} />
            </div>
          ))}
        </div>
      </div>
    </>
  );
}
