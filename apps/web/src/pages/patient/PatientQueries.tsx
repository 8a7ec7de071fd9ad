import type { QueryView } from '../../app/types';
import { ErrorBox, Section } from '../../components/ui';
import { AnswerQuery, QueryTable } from '../site/QueryInboxPage';
import { patientPath } from './patient-record';
import { useCommand } from './use-command';

function CloseQuery({ patientId, queryId, onDone }: { patientId: string; queryId: string; onDone: () => void }) {
  const closing = useCommand(onDone);
  return (
    <>
      <button type="button" className="secondary" onClick={() => closing.send(`${patientPath(patientId)}/queries/${queryId}/close`)}>
        Close
      </button>
      <ErrorBox error={closing.error} />
    </>
  );
}

/** The patient's queries; a site answers an open one, a monitor closes an answered one (never on a past moment's record). */
export function PatientQueries({
  patientId,
  queries,
  canAnswer,
  canClose,
  onChanged,
}: {
  patientId: string;
  queries: QueryView[];
  canAnswer: boolean;
  canClose: boolean;
  onChanged: () => void;
}) {
  return (
    <Section title="Queries">
      <QueryTable
        queries={queries}
        actions={(query) =>
          canAnswer && query.status === 'open' ? (
            <AnswerQuery query={query} onAnswered={onChanged} />
          ) : canClose && query.status === 'answered' ? (
            <CloseQuery patientId={patientId} queryId={query.queryId} onDone={onChanged} />
          ) : null
        }
      />
    </Section>
  );
}
