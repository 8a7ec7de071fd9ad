import { getIfAvailable } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { NotYetAvailable, Section } from '../../components/ui';

interface ProtocolVersion {
  version: number;
  effectiveFrom: string;
  sourceSha256: string;
  id: string;
  title: string;
}

/** The protocol versions activated on the trial, each with the file it came from. */
export function ProtocolSection() {
  const protocols = useApi(() => getIfAvailable<{ items: ProtocolVersion[] }>('/trial/protocol-versions'), []);
  return (
    <Section title="Protocol">
      {protocols.data === null && <NotYetAvailable what="Protocol versions" />}
      {protocols.data && protocols.data.items.length === 0 && <p>No protocol version activated on the trial yet.</p>}
      {protocols.data && protocols.data.items.length > 0 && (
        <Table
          testId="protocol-versions"
          columns={['Version', 'Protocol', 'In force from', 'File (SHA-256)']}
          rows={protocols.data.items}
          rowKey={(version) => version.version}
          cells={(version) => [
            version.version,
            <>
              {version.title} ({version.id})
            </>,
            version.effectiveFrom,
            <>{version.sourceSha256.slice(0, 16)}…</>,
          ]}
        />
      )}
    </Section>
  );
}
