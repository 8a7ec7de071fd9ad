import { useState } from 'react';
import { get } from '../../api/client';
import { Link } from '../../app/router';
import { signedCasebooks } from '../../app/signatures';
import { allSitePatients } from '../../app/site-patients';
import type { Page, QueryView, SiteIndicators } from '../../app/types';
import { useApi } from '../../app/use-api';
import { SubjectMatrix } from '../../components/SubjectMatrix';
import { AsOfPicker, DownloadButton, ErrorBox, Loading, Section, Stat, Stats, today } from '../../components/ui';
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
        <DownloadButton path={`/monitoring/sites/${site}/patients/export.csv?asOf=${asOf}`} file={`site-${siteId}-patients-${asOf}.csv`}>
          Download patient list (CSV)
        </DownloadButton>
      </div>
      {data.loading && !d && <Loading what="the site" />}
      <ErrorBox error={data.error} />
      {d && (
        <>
          <Section title="Indicators">
            <Stats testId="site-indicators">
              <Stat label="Enrolled">{d.indicators.patients.enrolled}</Stat>
              <Stat label="Randomized">{d.indicators.patients.randomized}</Stat>
              <Stat label="Overdue visits">{d.indicators.visits.overdue}</Stat>
              <Stat label="Missing forms">{d.indicators.visits.missingForms}</Stat>
              <Stat label="Open queries">{d.indicators.queries.open.count}</Stat>
              <Stat label="Deviations">{d.indicators.deviations.total}</Stat>
              <Stat label="Median entry latency (days)">{d.indicators.dataEntryLatency.median ?? '–'}</Stat>
            </Stats>
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
