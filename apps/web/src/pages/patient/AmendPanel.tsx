import type { ReactElement } from 'react';
import { post, submissionId } from '../../api/client';
import { bodyOf, CORRECTION_DECIDE, ENTRY_FORMS, FieldSpec, textOf, Values, valuesOf, violationsOf, VOID_DECIDE } from '../../app/forms';
import { EntryForm } from '../../components/EntryForm';
import { today } from '../../components/ui';
import type { PatientState } from '../../domain';
import { patientPath } from './patient-record';

export type AmendMode = 'correct' | 'void' | 'query';

/** What each form needs: the entry it is about, the patient's state to check against, and where to post. */
interface AmendProps {
  eventId: string;
  patientId: string;
  state: PatientState;
  onDone: () => void;
}

const REASON: FieldSpec = { name: 'reason', label: 'Reason (required)', type: 'textarea' };
const DECIDED_ON: FieldSpec = { name: 'occurredAt', label: 'Decided on', type: 'date' };

const entryOf = ({ state, eventId }: AmendProps) => state.entries[eventId];
const titleOf = (props: AmendProps) => `${entryOf(props).type} of ${entryOf(props).occurredAt.slice(0, 10)}`;
const send = async (props: AmendProps, route: string, body: Record<string, unknown>) => {
  await post(`${patientPath(props.patientId)}/${route}`, { submissionId: submissionId(), ...body });
  props.onDone();
};

/**
 * A void's or a correction's `check` and `submit`: the domain's rule runs on the command first. The amended
 * entry's type is in the command for that check only; the server reads it from the log.
 */
const decidedBy = (
  props: AmendProps,
  decide: typeof VOID_DECIDE,
  route: string,
  command: (values: Values) => Record<string, unknown>,
  typeField: string,
) => ({
  check: (values: Values) => violationsOf(decide, props.state, command(values)),
  submit: (values: Values) => {
    const { [typeField]: _type, ...body } = command(values);
    return send(props, route, body);
  },
});

/** A monitor's query on one field of the entry. */
function QueryForm(props: AmendProps) {
  const fields: FieldSpec[] = [
    { name: 'field', label: 'Field', type: 'select', options: Object.keys(entryOf(props).data as object) },
    { name: 'text', label: 'Query', type: 'textarea' },
  ];
  return (
    <EntryForm
      title={`Raise a query on ${titleOf(props)}`}
      fields={fields}
      submitLabel="Raise query"
      testId="query-form"
      check={(values) => ({
        ...(values.field ? {} : { field: 'choose the field the query is about (required)' }),
        ...(textOf(values, 'text') ? {} : { text: 'say what is wrong (required)' }),
      })}
      submit={(values) => send(props, 'queries', { targetEventId: props.eventId, field: values.field, text: values.text })}
    />
  );
}

/** A site's void of the entry, with its reason, checked by the domain's void rules. */
function VoidForm(props: AmendProps) {
  const command = (values: Values) => ({
    ...bodyOf([DECIDED_ON, REASON], values),
    voidedEventId: props.eventId,
    voidedType: entryOf(props).type,
  });
  return (
    <EntryForm
      title={`Void ${titleOf(props)}`}
      fields={[DECIDED_ON, REASON]}
      initial={{ occurredAt: today() }}
      submitLabel="Void"
      testId="void-form"
      {...decidedBy(props, VOID_DECIDE, 'voids', command, 'voidedType')}
    />
  );
}

/** A site's correction: the entry's own form filled with its values, plus a reason, checked by the domain's correction rules. */
function CorrectionForm(props: AmendProps) {
  const entry = entryOf(props);
  const fields: FieldSpec[] = [
    ...ENTRY_FORMS[entry.type].fields.map((field) => (field.name === 'occurredAt' ? field : { ...field, name: `data.${field.name}` })),
    REASON,
  ];
  const command = (values: Values) => ({ ...bodyOf(fields, values), correctedEventId: props.eventId, correctedType: entry.type });
  return (
    <EntryForm
      title={`Correct ${titleOf(props)}`}
      fields={fields}
      initial={{ ...valuesOf(entry.data, entry.occurredAt, 'data'), occurredAt: entry.occurredAt.slice(0, 10) }}
      submitLabel="Save correction"
      testId="correction-form"
      {...decidedBy(props, CORRECTION_DECIDE, 'corrections', command, 'correctedType')}
    />
  );
}

const FORMS: Record<AmendMode, (props: AmendProps) => ReactElement> = { query: QueryForm, void: VoidForm, correct: CorrectionForm };

/** The form that amends one entry: a correction, a void, or a monitor's query. */
export function AmendPanel({ mode, ...props }: AmendProps & { mode: AmendMode }) {
  const Form = FORMS[mode];
  return <Form {...props} />;
}
