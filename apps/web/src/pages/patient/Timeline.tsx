import { useState } from 'react';
import { ENTRY_FORMS } from '../../app/forms';
import type { EventEnvelope } from '../../app/types';
import { Badge, Section } from '../../components/ui';
import { formatValue } from '../site/QueryInboxPage';
import { AmendPanel, AmendMode } from './AmendPanel';
import { isClinical, PatientData } from './patient-record';
import { SdvBox } from './SdvBox';

interface Amending {
  eventId: string;
  mode: AmendMode;
}

const describeData = (data: Record<string, unknown>): string =>
  Object.entries(data)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${formatValue(value)}`)
    .join(', ');

/** A site corrects or voids an entry; a monitor raises a query on it. */
function AmendButtons({ canAmend, canMonitor, amend }: { canAmend: boolean; canMonitor: boolean; amend: (mode: AmendMode) => void }) {
  return (
    <>
      {canAmend && (
        <>
          <button type="button" className="secondary" onClick={() => amend('correct')}>
            Correct
          </button>{' '}
          <button type="button" className="secondary" onClick={() => amend('void')}>
            Void
          </button>
        </>
      )}
      {canMonitor && (
        <button type="button" className="secondary" onClick={() => amend('query')}>
          Raise query
        </button>
      )}
    </>
  );
}

interface RowProps {
  event: EventEnvelope;
  data: PatientData;
  patientId: string;
  verified: boolean;
  canAmend: boolean;
  canMonitor: boolean;
  onChanged: () => void;
  amend: (amending: Amending) => void;
}

function TimelineRow({ event, data, patientId, verified, canAmend, canMonitor, onChanged, amend }: RowProps) {
  const entry = data.state.entries[event.eventId];
  const amendable = entry && ENTRY_FORMS[entry.type] && !entry.voided;
  const date = event.occurredAt.slice(0, 10);
  return (
    <tr data-event={event.eventId} className={event.type === 'EntryCorrected' || event.type === 'EntryVoided' ? 'amends' : undefined}>
      <td>{date}</td>
      <td>
        {event.type}
        {entry?.voided && <Badge tone="info">voided</Badge>}
        {entry?.correctedBy && <Badge tone="info">corrected</Badge>}
      </td>
      <td>{entry && !entry.voided ? describeData(entry.data as Record<string, unknown>) : describeData(event.data)}</td>
      <td>{event.recordedAt.slice(0, 16).replace('T', ' ')}</td>
      {canMonitor && (
        <td>
          {amendable && (
            <SdvBox
              patientId={patientId}
              eventId={event.eventId}
              checked={verified}
              label={`${event.type} of ${date} verified`}
              onDone={onChanged}
            />
          )}
        </td>
      )}
      {(canAmend || canMonitor) && (
        <td>
          {amendable && (
            <AmendButtons canAmend={canAmend} canMonitor={canMonitor} amend={(mode) => amend({ eventId: event.eventId, mode })} />
          )}
        </td>
      )}
    </tr>
  );
}

function TimelineHead({ canAmend, canMonitor }: { canAmend: boolean; canMonitor: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">Date</th>
        <th scope="col">Event</th>
        <th scope="col">Values</th>
        <th scope="col">Recorded</th>
        {canMonitor && <th scope="col">SDV</th>}
        {(canAmend || canMonitor) && <th scope="col">Action</th>}
      </tr>
    </thead>
  );
}

/** The patient's clinical events in clinical-date order, each with what the caller may do to it. */
export function Timeline({ data, patientId, canAmend, canMonitor, onChanged }: Omit<RowProps, 'event' | 'verified' | 'amend'>) {
  const [amending, setAmending] = useState<Amending | null>(null);
  const verified = new Set(
    data.events.filter((event) => event.type === 'SourceDataVerified').map((event) => String(event.data.targetEventId)),
  );
  const clinical = data.events.filter(isClinical).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const row = { data, patientId, canAmend, canMonitor, onChanged, amend: setAmending };
  return (
    <Section title="Timeline">
      <table data-testid="timeline">
        <TimelineHead canAmend={canAmend} canMonitor={canMonitor} />
        <tbody>
          {clinical.map((event) => (
            <TimelineRow key={event.eventId} event={event} verified={verified.has(event.eventId)} {...row} />
          ))}
        </tbody>
      </table>
      {amending && (
        <AmendPanel
          key={`${amending.eventId}-${amending.mode}`}
          mode={amending.mode}
          eventId={amending.eventId}
          patientId={patientId}
          state={data.state}
          onDone={() => {
            setAmending(null);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}
