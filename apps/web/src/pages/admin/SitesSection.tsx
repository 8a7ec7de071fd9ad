import { get, post, submissionId } from '../../api/client';
import { FieldSpec, textOf, Values } from '../../app/forms';
import { useApi } from '../../app/use-api';
import { EntryForm } from '../../components/EntryForm';
import { Table } from '../../components/Table';
import { Section, today } from '../../components/ui';

interface Site {
  siteId: string;
  name: string | null;
  activatedAt: string | null;
  patients: number;
}

const SITE_FIELDS: FieldSpec[] = [
  { name: 'siteId', label: 'Site id', type: 'text' },
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'country', label: 'Country (ISO code)', type: 'text', optional: true },
  { name: 'occurredAt', label: 'Activated on', type: 'date' },
];

function activationBody(values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {
    submissionId: submissionId(),
    siteId: textOf(values, 'siteId'),
    name: textOf(values, 'name'),
    occurredAt: textOf(values, 'occurredAt'),
  };
  if (textOf(values, 'country')) body.country = textOf(values, 'country');
  return body;
}

/** Sites: activate one, and the registry's list (which not every role may read). */
export function SitesSection() {
  const sites = useApi(() => get<{ items: Site[] }>('/registry/sites').then((answer) => answer.items), [], { live: true });
  return (
    <Section title="Sites">
      <EntryForm
        title="Activate a site"
        fields={SITE_FIELDS}
        initial={{ occurredAt: today() }}
        submitLabel="Activate site"
        check={() => ({})}
        submit={async (values) => {
          await post('/sites', activationBody(values));
          sites.reload();
        }}
      />
      {sites.error && <p className="muted">The site list comes from the registry, which this role does not read.</p>}
      {sites.data && (
        <Table
          columns={['Site', 'Name', 'Activated', 'Patients']}
          rows={sites.data}
          rowKey={(site) => site.siteId}
          cells={(site) => [site.siteId, site.name, site.activatedAt?.slice(0, 10), site.patients]}
        />
      )}
    </Section>
  );
}
