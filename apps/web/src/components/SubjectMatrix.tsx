import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Link } from '../app/router';
import type { PatientListItem, VisitCell } from '../app/types';
import { Badge } from './ui';

const STATUS_TEXT: Record<VisitCell['status'], string> = { done: '✓', due: '•', overdue: '!', upcoming: '' };

/** Every visit of the longest schedule, in order, as the matrix's columns. */
function columnsOf(patients: PatientListItem[]): Array<Pick<VisitCell, 'visitId' | 'label'>> {
  const seen = new Map<string, string>();
  for (const patient of patients)
    for (const visit of patient.schedule ?? []) if (!seen.has(visit.visitId)) seen.set(visit.visitId, visit.label);
  return [...seen].map(([visitId, label]) => ({ visitId, label }));
}

const ROW_HEIGHT = 34;

/**
 * Patients × visits, one coloured cell per visit: done, due, overdue, upcoming; missing forms outlined;
 * each row also shows open queries and signatures. Only the rows in view are in the page (a site may
 * have a thousand patients); spacer rows keep the scroll height.
 */
export function SubjectMatrix({ patients, signed = {} }: { patients: PatientListItem[]; signed?: Record<string, boolean> }) {
  const columns = columnsOf(patients);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: patients.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtual.getVirtualItems();
  const top = items.length > 0 ? items[0].start : 0;
  const bottom = items.length > 0 ? virtual.getTotalSize() - items[items.length - 1].end : 0;
  return (
    <>
      <div className="legend" aria-label="Legend">
        <span>
          <Badge tone="done">✓ done</Badge>
        </span>
        <span>
          <Badge tone="due">• due</Badge>
        </span>
        <span>
          <Badge tone="overdue">! overdue</Badge>
        </span>
        <span>
          <Badge tone="upcoming">upcoming</Badge>
        </span>
        <span>
          <Badge tone="missing">missing forms</Badge>
        </span>
        <span>
          <Badge tone="query">open queries</Badge>
        </span>
        <span>
          <Badge tone="signed">signed</Badge>
        </span>
      </div>
      <div className="matrix" tabIndex={0} role="region" aria-label="Subject matrix" ref={scroller}>
        <table data-testid="subject-matrix" aria-rowcount={patients.length + 1}>
          <caption className="muted" data-testid="matrix-count">
            {patients.length} {patients.length === 1 ? 'patient' : 'patients'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Status</th>
              {columns.map((column) => (
                <th scope="col" key={column.visitId} title={column.label}>
                  {column.label}
                </th>
              ))}
              <th scope="col">Queries</th>
              <th scope="col">Signed</th>
            </tr>
          </thead>
          <tbody>
            {top > 0 && <tr aria-hidden="true" style={{ height: top }} />}
            {items.map((item) => {
              const patient = patients[item.index];
              const byVisit = new Map((patient.schedule ?? []).map((visit) => [visit.visitId, visit]));
              return (
                <tr key={patient.patientId} data-patient={patient.patientId} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                  <th scope="row">
                    <Link to={`/app/patients/${patient.patientId}`}>{patient.patientId}</Link>
                  </th>
                  <td>{patient.status.replace('_', ' ')}</td>
                  {columns.map((column) => {
                    const visit = byVisit.get(column.visitId);
                    if (!visit) return <td key={column.visitId} className="cell" />;
                    const missing = visit.missingForms.length > 0;
                    const title = `${visit.label}: ${visit.status}${missing ? `, missing ${visit.missingForms.join(', ')}` : ''}`;
                    return (
                      <td
                        key={column.visitId}
                        className={`cell cell-${visit.status}${missing ? ' cell-missing' : ''}`}
                        title={title}
                        aria-label={title}
                      >
                        {STATUS_TEXT[visit.status]}
                      </td>
                    );
                  })}
                  <td>{patient.queries.open > 0 ? <Badge tone="query">{patient.queries.open} open</Badge> : '–'}</td>
                  <td>{signed[patient.patientId] ? <Badge tone="signed">signed</Badge> : '–'}</td>
                </tr>
              );
            })}
            {bottom > 0 && <tr aria-hidden="true" style={{ height: bottom }} />}
          </tbody>
        </table>
      </div>
    </>
  );
}
