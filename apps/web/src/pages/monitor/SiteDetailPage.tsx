import { useState } from 'react';
import { download, get } from '../../api/client';
import { Link } from '../../app/router';
import { signedCasebooks } from '../../app/signatures';
import { allSitePatients } from '../../app/site-patients';
import type { Page, QueryView, SiteIndicators } from '../../app/types';
import { useApi } from '../../app/use-api';
import { SubjectMatrix } from '../../components/SubjectMatrix';
import { AsOfPicker, ErrorBox, Loading, Section, today } from '../../components/ui';
import { QueryTable } from '../site/QueryInboxPage';
import { Table } from '../../components/Table';

interface DeviationRow {
  patientId: string;
  code: string;
  detail?: string;
  occurredAt?: string;
  [key: string]: unknown;
}

/** One site as the monitor drills into it: indicators, subject matrix, deviations and queries, as of a date. */
export function SiteDetailPage({ siteId }: { siteId: string }) {
  const [asOf, setAsOf] = useState(today());
  const site = encodeURIComponent(siteId);
  const data = useApi(
    async () => {
      const [indicators, patients, deviations, queries, signed] = await Promise.all([
        get<SiteIndicators>(`/monitoring/sites/${site}`, { asOf }),
        allSitePatients(siteId, asOf),
        get<Page<DeviationRow>>(`/monitoring/sites/${site}/deviations`, { asOf, limit: 500 }),
        get<Page<QueryView>>(`/monitoring/sites/${site}/queries`, { asOf, limit: 500 }),
        signedCasebooks(siteId, asOf),
      ]);
      return { indicators, patients, deviations: deviations.items, queries: queries.items, signed };
    },
    [siteId, asOf],
    { live: true },
  );
  const d = data.data;
  return (
    <>
      <h1>Site {siteId}</h1>
      <div className="toolbar">
        <AsOfPicker value={asOf} onChange={setAsOf} />
        <Link to={`/app/monitor/sites/${siteId}/sdv`}>Source data verification</Link>
        <button
          type="button"
          className="secondary"
          onClick={() => void download(`/monitoring/sites/${site}/patients/export.csv?asOf=${asOf}`, `site-${siteId}-patients-${asOf}.csv`)}
        >
          Download patient list (CSV)
        </button>
      </div>
      {data.loading && !d && <Loading what="the site" />}
      <ErrorBox error={data.error} />
      {d && (
        <>
          <Section title="Indicators">
            <div className="stats" data-testid="site-indicators">
              <span className="stat">
                <span className="muted">Enrolled</span>
                <strong>{d.indicators.patients.enrolled}</strong>
              </span>
              <span className="stat">
                <span className="muted">Randomized</span>
                <strong>{d.indicators.patients.randomized}</strong>
              </span>
              <span className="stat">
                <span className="muted">Overdue visits</span>
                <strong>{d.indicators.visits.overdue}</strong>
              </span>
              <span className="stat">
                <span className="muted">Missing forms</span>
                <strong>{d.indicators.visits.missingForms}</strong>
              </span>
              <span className="stat">
                <span className="muted">Open queries</span>
                <strong>{d.indicators.queries.open.count}</strong>
              </span>
              <span className="stat">
                <span className="muted">Deviations</span>
                <strong>{d.indicators.deviations.total}</strong>
              </span>
              <span className="stat">
                <span className="muted">Median entry latency (days)</span>
                <strong>{d.indicators.dataEntryLatency.median ?? '–'}</strong>
              </span>
            </div>
          </Section>
          <Section title="Subject matrix">
            <SubjectMatrix patients={d.patients} signed={d.signed} />
          </Section>
          <Section title={`Deviations (${d.deviations.length})`}>
            {d.deviations.length === 0 ? (
              <p>None.</p>
            ) : (
              <Table
                columns={['Patient', 'Deviation', 'Detail']}
                rows={d.deviations}
                rowKey={(_, index) => index}
                cells={(deviation) => [
                  <Link to={`/app/patients/${deviation.patientId}`}>{deviation.patientId}</Link>,
                  deviation.code,
                  deviation.detail ?? '',
                ]}
              />
            )}
          </Section>
          <Section title="Queries">
            <QueryTable queries={d.queries} actions={() => null} />
          </Section>
        </>
      )}
    </>
  );
}
