import { useState } from 'react';
import { get, post } from '../../api/client';
import { FieldSpec, textOf, Values } from '../../app/forms';
import { ROLE_LABELS } from '../../app/session';
import { useApi } from '../../app/use-api';
import { EntryForm } from '../../components/EntryForm';
import { Table } from '../../components/Table';
import { ErrorBox, Section } from '../../components/ui';

interface User {
  id: string;
  username?: string;
  name: string;
  role: string;
  siteIds: string[];
  status?: string;
}

/** What creating a user answers: a person's activation code, or a machine user's API key. */
interface CreatedUser {
  username?: string;
  activationCode?: string;
  token?: string;
}

const USER_FIELDS: FieldSpec[] = [
  { name: 'username', label: 'User name', type: 'text' },
  { name: 'name', label: 'Full name', type: 'text' },
  { name: 'role', label: 'Role', type: 'select', options: Object.keys(ROLE_LABELS) },
  { name: 'siteIds', label: 'Sites (comma-separated)', type: 'text', optional: true },
];

const required = (values: Values) => ({
  ...(textOf(values, 'name') ? {} : { name: 'required' }),
  ...(textOf(values, 'role') ? {} : { role: 'required' }),
});

function newUserBody(values: Values): Record<string, unknown> {
  const siteIds = textOf(values, 'siteIds')
    .split(',')
    .map((site) => site.trim())
    .filter(Boolean);
  const body: Record<string, unknown> = { name: textOf(values, 'name'), role: textOf(values, 'role'), siteIds };
  if (textOf(values, 'username')) body.username = textOf(values, 'username');
  return body;
}

/** Shown once, right after creating: the secret the new user needs for a first sign-in. */
function HandOver({ created }: { created: CreatedUser }) {
  return (
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
  );
}

/** Users: create one (with the activation code to hand over), and the list. */
export function UsersSection() {
  const users = useApi(
    () => get<User[] | { items: User[] }>('/users').then((answer) => (Array.isArray(answer) ? answer : answer.items)),
    [],
    { live: true },
  );
  const [created, setCreated] = useState<CreatedUser | null>(null);
  return (
    <Section title="Users">
      <EntryForm
        title="Create a user"
        fields={USER_FIELDS}
        submitLabel="Create user"
        testId="user-form"
        check={required}
        submit={async (values) => {
          setCreated(await post('/users', newUserBody(values)));
          users.reload();
        }}
      />
      {created && <HandOver created={created} />}
      <ErrorBox error={users.error} />
      {users.data && (
        <Table
          columns={['User', 'Name', 'Role', 'Sites']}
          rows={users.data}
          rowKey={(user) => user.id}
          cells={(user) => [user.username ?? user.id.slice(0, 8), user.name, ROLE_LABELS[user.role] ?? user.role, user.siteIds.join(', ')]}
        />
      )}
    </Section>
  );
}
