import { useState } from 'react';
import { reauthentication } from '../../api/auth';
import { get, getIfAvailable, post, submissionId } from '../../api/client';
import type { FieldSpec, Values } from '../../app/forms';
import { ROLE_LABELS, useUser } from '../../app/session';
import { useApi } from '../../app/use-api';
import { EntryForm } from '../../components/EntryForm';
import { SignatureDialog } from '../../components/SignatureDialog';
import { Badge, ErrorBox, NotYetAvailable, Section, today } from '../../components/ui';
import { Table } from '../../components/Table';

interface User {
  id: string;
  username?: string;
  name: string;
  role: string;
  siteIds: string[];
  status?: string;
}

interface Site {
  siteId: string;
  name: string | null;
  activatedAt: string | null;
  patients: number;
}

interface Allocation {
  loaded: boolean;
  source: string | null;
  loadedAt: string | null;
  kits: number;
  strata: Array<{ stratum: string; kits: number; reserved: number; dispensed: number }>;
}

interface ProtocolVersion {
  version: number;
  effectiveFrom: string;
  sourceSha256: string;
  id: string;
  title: string;
}

interface Trial {
  status: string;
  frozenAt: string | null;
  lockedAt: string | null;
  unblindedAt: string | null;
}

const ROLES = Object.keys(ROLE_LABELS);

const USER_FIELDS: FieldSpec[] = [
  { name: 'username', label: 'User name', type: 'text' },
  { name: 'name', label: 'Full name', type: 'text' },
  { name: 'role', label: 'Role', type: 'select', options: ROLES },
  { name: 'siteIds', label: 'Sites (comma-separated)', type: 'text', optional: true },
];

const SITE_FIELDS: FieldSpec[] = [
  { name: 'siteId', label: 'Site id', type: 'text' },
  { name: 'name', label: 'Name', type: 'text' },
  { name: 'country', label: 'Country (ISO code)', type: 'text', optional: true },
  { name: 'occurredAt', label: 'Activated on', type: 'date' },
];

const text = (values: Values, name: string) => (typeof values[name] === 'string' ? values[name].trim() : '');

type TrialStep = 'freeze' | 'lock' | 'unblinding';

/** Users (with the activation code to hand over), sites, protocol, allocation list (counts only), and the trial's steps. */
export function AdminPage() {
  const user = useUser();
  // Each part loads on its own: one the role may not read (the registry's site list) leaves the rest working.
  const users = useApi(
    () => get<User[] | { items: User[] }>('/users').then((answer) => (Array.isArray(answer) ? answer : answer.items)),
    [],
    { live: true },
  );
  const sites = useApi(() => get<{ items: Site[] }>('/registry/sites').then((answer) => answer.items), [], { live: true });
  const allocation = useApi(() => get<Allocation>('/allocation'), [], { live: true });
  const trial = useApi(() => get<Trial>('/trial'), [], { live: true });
  const protocols = useApi(() => getIfAvailable<{ items: ProtocolVersion[] }>('/trial/protocol-versions'), []);
  const [created, setCreated] = useState<{ username?: string; activationCode?: string; token?: string } | null>(null);
  const [step, setStep] = useState<TrialStep | null>(null);
  const [reason, setReason] = useState('');

  return (
    <>
      <h1>Administration</h1>
      <Section title="Users">
        <EntryForm
          title="Create a user"
          fields={USER_FIELDS}
          submitLabel="Create user"
          testId="user-form"
          check={(values) => ({
            ...(text(values, 'name') ? {} : { name: 'required' }),
            ...(text(values, 'role') ? {} : { role: 'required' }),
          })}
          submit={async (values) => {
            const siteIds = text(values, 'siteIds')
              .split(',')
              .map((site) => site.trim())
              .filter(Boolean);
            const body: Record<string, unknown> = { name: text(values, 'name'), role: text(values, 'role'), siteIds };
            if (text(values, 'username')) body.username = text(values, 'username');
            setCreated(await post('/users', body));
            users.reload();
          }}
        />
        {created && (
          <p className="notice" role="status" data-testid="activation">
            {created.activationCode ? (
              <>
                Hand over this activation code to <strong>{created.username}</strong>: <code>{created.activationCode}</code>
              </>
            ) : (
              <>
                The user's API key (shown once): <code>{created.token}</code>
              </>
            )}
          </p>
        )}
        <ErrorBox error={users.error} />
        {users.data && (
          <Table
            columns={['User', 'Name', 'Role', 'Sites']}
            rows={users.data}
            rowKey={(user) => user.id}
            cells={(user) => [
              user.username ?? user.id.slice(0, 8),
              user.name,
              ROLE_LABELS[user.role] ?? user.role,
              user.siteIds.join(', '),
            ]}
          />
        )}
      </Section>
      <Section title="Sites">
        <EntryForm
          title="Activate a site"
          fields={SITE_FIELDS}
          initial={{ occurredAt: today() }}
          submitLabel="Activate site"
          check={() => ({})}
          submit={async (values) => {
            const body: Record<string, unknown> = {
              submissionId: submissionId(),
              siteId: text(values, 'siteId'),
              name: text(values, 'name'),
              occurredAt: text(values, 'occurredAt'),
            };
            if (text(values, 'country')) body.country = text(values, 'country');
            await post('/sites', body);
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
      <Section title="Allocation list">
        <ErrorBox error={allocation.error} />
        {allocation.data &&
          (allocation.data.loaded ? (
            <Table
              testId="allocation"
              caption={
                <>
                  {allocation.data.kits} kits, {allocation.data.source} on {allocation.data.loadedAt?.slice(0, 10)} (counts only)
                </>
              }
              columns={['Stratum', 'Kits', 'Reserved', 'Dispensed']}
              rows={allocation.data.strata}
              rowKey={(stratum) => stratum.stratum}
              cells={(stratum) => [stratum.stratum, stratum.kits, stratum.reserved, stratum.dispensed]}
            />
          ) : (
            <p>No allocation list loaded.</p>
          ))}
      </Section>
      <Section title="Trial">
        <ErrorBox error={trial.error} />
        {trial.data && (
          <>
            <p>
              Status: <Badge tone="info">{trial.data.status}</Badge> {trial.data.frozenAt && `frozen ${trial.data.frozenAt.slice(0, 10)}`}{' '}
              {trial.data.lockedAt && `locked ${trial.data.lockedAt.slice(0, 10)}`}{' '}
              {trial.data.unblindedAt && `unblinded ${trial.data.unblindedAt.slice(0, 10)}`}
            </p>
            <div className="field">
              <label htmlFor="trial-reason">Reason</label>
              <input id="trial-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            </div>
            <p>
              <button type="button" onClick={() => setStep('freeze')} disabled={trial.data.status !== 'open'}>
                Freeze
              </button>{' '}
              <button
                type="button"
                onClick={() => setStep('lock')}
                disabled={trial.data.status === 'locked' || trial.data.status === 'unblinded'}
              >
                Lock
              </button>{' '}
              <button type="button" onClick={() => setStep('unblinding')} disabled={trial.data.status !== 'locked'}>
                Unblind
              </button>
            </p>
          </>
        )}
        <SignatureDialog
          title={step ? `Sign: ${step} the database` : ''}
          open={step !== null}
          onClose={() => setStep(null)}
          username={user.username}
          sign={async ({ username, password }) => {
            await post(`/trial/${step}`, {
              submissionId: submissionId(),
              reason: reason || `${step} by the administrator`,
              ...reauthentication(username, password),
            });
            trial.reload();
          }}
        />
      </Section>
    </>
  );
}
