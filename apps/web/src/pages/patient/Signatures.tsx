import { useState } from 'react';
import { reauthentication } from '../../api/auth';
import { post, submissionId } from '../../api/client';
import type { Signature } from '../../app/types';
import { SignableVisit, SignatureDialog } from '../../components/SignatureDialog';
import { Table } from '../../components/Table';
import { Badge, NotYetAvailable, Section } from '../../components/ui';
import { patientPath, ScopeStatus } from './patient-record';

/** The casebook and each visit with data: signed, unsigned or invalidated. */
function ScopeTable({ scopes }: { scopes: ScopeStatus[] }) {
  return (
    <Table
      testId="signature-scopes"
      columns={['What', 'Signature']}
      rows={scopes}
      rowKey={(scope) => scope.scope}
      cells={(scope) => [
        scope.scope === 'casebook' ? 'the whole casebook' : `visit ${scope.label}`,
        <Badge tone={scope.status === 'unsigned' ? 'info' : scope.status}>{scope.status}</Badge>,
      ]}
    />
  );
}

/** Each signature given, and what invalidated it since. */
function SignatureTable({ signatures }: { signatures: Signature[] }) {
  return (
    <Table
      testId="signatures"
      columns={['Meaning', 'Scope', 'Signed', 'Status']}
      rows={signatures}
      rowKey={(signature) => signature.signatureId}
      cells={(signature) => [
        signature.meaning,
        signature.scope.kind === 'visit' ? `visit ${signature.scope.visit}` : 'casebook',
        String(signature.signedAt ?? '')
          .slice(0, 16)
          .replace('T', ' '),
        <>
          <Badge tone={signature.status}>{signature.status}</Badge>
          {signature.invalidatedBy && (
            <span className="muted">
              {' '}
              by {signature.invalidatedBy.type} of {signature.invalidatedBy.occurredAt?.slice(0, 10)}
            </span>
          )}
        </>,
      ]}
    />
  );
}

interface SignaturesProps {
  patientId: string;
  signatures: Signature[] | null;
  scopes: ScopeStatus[] | null;
  canSign: boolean;
  onSigned: () => void;
  username?: string;
}

/** The patient's signatures; an investigator signs the casebook or one visit by re-authenticating. */
export function Signatures({ patientId, signatures, scopes, canSign, onSigned, username }: SignaturesProps) {
  const [open, setOpen] = useState(false);
  if (signatures === null)
    return (
      <Section title="Signatures">
        <NotYetAvailable what="Electronic signature" />
      </Section>
    );
  const visits: SignableVisit[] = (scopes ?? [])
    .filter((scope) => scope.scope !== 'casebook')
    .map(({ scope, label }) => ({ id: scope, label }));
  const signButton = (
    <button type="button" onClick={() => setOpen(true)}>
      Sign
    </button>
  );
  return (
    <Section title="Signatures" actions={canSign ? signButton : undefined}>
      {scopes && scopes.length > 0 && <ScopeTable scopes={scopes} />}
      {signatures.length === 0 ? <p>Not signed.</p> : <SignatureTable signatures={signatures} />}
      <SignatureDialog
        title={`Sign for patient ${patientId}`}
        meanings={['review', 'approval', 'authorship']}
        visits={visits}
        open={open}
        onClose={() => setOpen(false)}
        username={username}
        sign={async ({ meaning, scope, username: signer, password }) => {
          await post(`${patientPath(patientId)}/signatures`, {
            submissionId: submissionId(),
            meaning,
            scope,
            ...reauthentication(signer, password),
          });
          onSigned();
        }}
      />
    </Section>
  );
}
