import { get } from '../../api/client';
import { Link } from '../../app/router';
import { allSitePatients } from '../../app/site-patients';
import type { EventEnvelope } from '../../app/types';
import { useApi } from '../../app/use-api';
import { ENTRY_FORMS } from '../../app/forms';
import { ErrorBox, Loading, Section } from '../../components/ui';
import { SdvBox } from '../patient/SdvBox';
import { Table } from '../../components/Table';

interface Row {
  patientId: string;
  event: EventEnvelope;
  verified: boolean;
}

/** Source data verification: every entered form of the site with its checkbox; checking one records the verification. */
export function SdvPage({ siteId }: { siteId: string }) {
  const rows = useApi(
    async (): Promise<Row[]> => {
      const patients = await allSitePatients(siteId);
      const histories = await Promise.all(
        patients.map((patient) =>
          get<EventEnvelope[]>(`/patients/${encodeURIComponent(patient.patientId)}/events`).then((events) => ({
            patientId: patient.patientId,
            events,
          })),
        ),
      );
      return histories.flatMap(({ patientId, events }) => {
        const verified = new Set(
          events.filter((event) => event.type === 'SourceDataVerified').map((event) => String(event.data.targetEventId)),
        );
        const voided = new Set(events.filter((event) => event.type === 'EntryVoided').map((event) => String(event.data.voidedEventId)));
        return events
          .filter((event) => ENTRY_FORMS[event.type] && !voided.has(event.eventId))
          .map((event) => ({ patientId, event, verified: verified.has(event.eventId) }));
      });
    },
    [siteId],
    { live: true },
  );
  const done = rows.data?.filter((row) => row.verified).length ?? 0;
  const total = rows.data?.length ?? 0;
  return (
    <>
      <h1>Site {siteId}: source data verification</h1>
      {rows.loading && !rows.data && <Loading what="forms" />}
      <ErrorBox error={rows.error} />
      {rows.data && (
        <Section title={`${done} of ${total} forms verified`}>
          <progress value={done} max={Math.max(total, 1)} aria-label="Verification progress" />
          <Table
            testId="sdv-table"
            columns={['Verified', 'Patient', 'Form', 'Date']}
            rows={rows.data}
            rowKey={(row) => row.event.eventId}
            cells={(row) => [
              <SdvBox
                patientId={row.patientId}
                eventId={row.event.eventId}
                checked={row.verified}
                label={`${row.event.type} of ${row.patientId} on ${row.event.occurredAt.slice(0, 10)} verified`}
                onDone={rows.reload}
              />,
              <Link to={`/app/patients/${row.patientId}`}>{row.patientId}</Link>,
              row.event.type,
              row.event.occurredAt.slice(0, 10),
            ]}
          />
        </Section>
      )}
    </>
  );
}
