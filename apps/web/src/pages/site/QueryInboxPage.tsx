import { useState } from 'react';
import { get, post, submissionId } from '../../api/client';
import { Link } from '../../app/router';
import type { Page, QueryView } from '../../app/types';
import { useApi } from '../../app/use-api';
import { Badge, ErrorBox, Loading, Section } from '../../components/ui';

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '–';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One query with the site's answer box (answered queries wait for the monitor to close them). */
export function AnswerQuery({ query, onAnswered }: { query: QueryView; onAnswered: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const id = `answer-${query.queryId}`;
  const send = async () => {
    setError(null);
    try {
      await post(`/patients/${encodeURIComponent(query.patientId)}/queries/${encodeURIComponent(query.queryId)}/answer`, { submissionId: submissionId(), text });
      setText('');
      onAnswered();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div>
      <label htmlFor={id}>Answer</label>{' '}
      <input id={id} value={text} onChange={(event) => setText(event.target.value)} />{' '}
      <button type="button" onClick={() => void send()} disabled={text.trim() === ''}>
        Send answer
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

export function QueryTable({ queries, actions }: { queries: QueryView[]; actions: (query: QueryView) => React.ReactNode }) {
  if (queries.length === 0) return <p>No queries.</p>;
  return (
    <table data-testid="queries">
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
          <th scope="col">Query</th>
          <th scope="col">Status</th>
          <th scope="col">Age (days)</th>
          <th scope="col">Answer</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {queries.map((query) => (
          <tr key={query.queryId} data-query={query.queryId}>
            <td>
              <Link to={`/app/patients/${query.patientId}`}>{query.patientId}</Link>
            </td>
            <td>
              {query.targetType} · {query.field}
            </td>
            <td>{formatValue(query.currentValue)}</td>
            <td>{query.text}</td>
            <td>
              <Badge tone={query.status === 'open' ? 'query' : 'info'}>{query.status}</Badge>
            </td>
            <td>{query.ageDays}</td>
            <td>{query.answer?.text ?? '–'}</td>
            <td>{actions(query)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The site's query inbox: open queries first, answered ones waiting for the monitor. */
export function QueryInboxPage({ siteId }: { siteId: string }) {
  const queries = useApi(() => get<Page<QueryView>>(`/monitoring/sites/${encodeURIComponent(siteId)}/queries`, { limit: 500 }), [siteId], { live: true });
  const open = queries.data?.items.filter((query) => query.status === 'open') ?? [];
  const others = queries.data?.items.filter((query) => query.status !== 'open') ?? [];
  return (
    <>
      <h1>Site {siteId}: query inbox</h1>
      {queries.loading && !queries.data && <Loading what="queries" />}
      <ErrorBox error={queries.error} />
      <Section title={`Open queries (${open.length})`}>
        <QueryTable queries={open} actions={(query) => <AnswerQuery query={query} onAnswered={queries.reload} />} />
      </Section>
      <Section title="Answered, closed and cancelled">
        <QueryTable queries={others} actions={() => null} />
      </Section>
    </>
  );
}
