import { useState } from 'react';
import { post, submissionId } from '../../api/client';
import { ADVERSE_EVENT, ASSESSMENT, bodyOf, FormSpec, INFUSION, LAB, NEUROGRAPHY, violationsOf, WITHDRAWAL } from '../../app/forms';
import { EntryForm } from '../../components/EntryForm';
import { ErrorBox, Section, today } from '../../components/ui';
import type { PatientState } from '../../domain';
import { patientPath } from './patient-record';
import { useCommand } from './use-command';

const NEW_ENTRY_FORMS: FormSpec[] = [INFUSION, LAB, NEUROGRAPHY, ASSESSMENT, ADVERSE_EVENT, WITHDRAWAL];

function FormTabs({ kind, onKind }: { kind: string; onKind: (kind: string) => void }) {
  return (
    <div className="tabs" role="group" aria-label="Form">
      {NEW_ENTRY_FORMS.map((spec) => (
        <button key={spec.kind} type="button" aria-pressed={spec.kind === kind} onClick={() => onKind(spec.kind)}>
          {spec.title}
        </button>
      ))}
    </div>
  );
}

/** A site's new entries on the patient, one form at a time, checked by the domain's rules before sending; randomization once enrolled. */
export function EntryPanel({ patientId, state, onSaved }: { patientId: string; state: PatientState; onSaved: () => void }) {
  const [kind, setKind] = useState(NEW_ENTRY_FORMS[0].kind);
  const form = NEW_ENTRY_FORMS.find((spec) => spec.kind === kind)!;
  const randomization = useCommand(onSaved);
  const base = patientPath(patientId);
  return (
    <Section
      title="Record data"
      actions={
        state.status === 'enrolled' ? (
          <button type="button" onClick={() => randomization.send(`${base}/randomization`, { occurredAt: today() })}>
            Randomize
          </button>
        ) : undefined
      }
    >
      <ErrorBox error={randomization.error} />
      <FormTabs kind={kind} onKind={setKind} />
      <EntryForm
        key={form.kind}
        title={form.title}
        fields={form.fields}
        initial={{ ...form.defaults, occurredAt: today() }}
        testId={`form-${form.kind}`}
        check={(values) => violationsOf(form.decide, state, bodyOf(form.fields, values))}
        submit={async (values) => {
          await post(`${base}/${form.route}`, { submissionId: submissionId(), ...bodyOf(form.fields, values) });
          onSaved();
        }}
      />
    </Section>
  );
}
