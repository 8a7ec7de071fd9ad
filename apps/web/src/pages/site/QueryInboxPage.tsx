import { useState } from 'react';
import { get, post, submissionId } from '../../api/client';
import { Link } from '../../app/router';
import type { Page, QueryView } from '../../app/types';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
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
      await post(`/patients/${encodeURIComponent(query.patientId)}/queries/${encodeURIComponent(query.queryId)}/answer`, {
        submissionId: submissionId(),
        text,
      });
      setText('');
      onAnswered();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div>
      <label htmlFor={id}>Answer</label> <input id={id} value={text} onChange={(event) => setText(event.target.value)} />{' '}
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
    <Table
      testId="queries"
      columns={['Patient', 'Field', 'Value', 'Query', 'Status', 'Age (days)', 'Answer', 'Action']}
      rows={queries}
      rowKey={(query) => query.queryId}
      cells={(query) => [
        <Link to={`/app/patients/${query.patientId}`}>{query.patientId}</Link>,
        `${query.targetType} · ${query.field}`,
        formatValue(query.currentValue),
        query.text,
        <Badge tone={query.status === 'open' ? 'query' : 'info'}>{query.status}</Badge>,
        query.ageDays,
        query.answer?.text ?? '–',
        actions(query),
      ]}
    />
  );
}

/** The site's query inbox: open queries first, answered ones waiting for the monitor. */
export function QueryInboxPage({ siteId }: { siteId: string }) {
  const queries = useApi(() => get<Page<QueryView>>(`/monitoring/sites/${encodeURIComponent(siteId)}/queries`, { limit: 500 }), [siteId], {
    live: true,
  });
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
