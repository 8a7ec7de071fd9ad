import { ErrorBox, Loading, Section } from '../../components/ui';
import { useAuditLog } from './audit-log';
import { LogToolbar } from './LogToolbar';
import { VirtualLog } from './VirtualLog';

/** The whole log, filtered in the browser and scrolled virtually (only the visible rows are in the DOM). */
export function AuditLogPage() {
  const { log, filters, types, rows } = useAuditLog();
  return (
    <>
      <h1>Audit log</h1>
      <LogToolbar filters={filters} types={types} reload={log.reload} />
      {log.loading && !log.data && <Loading what="the log" />}
      <ErrorBox error={log.error} />
      {log.data && (
        <Section title={`${rows.length} of ${log.data.length} events`}>
          <VirtualLog rows={rows} />
        </Section>
      )}
    </>
  );
}
