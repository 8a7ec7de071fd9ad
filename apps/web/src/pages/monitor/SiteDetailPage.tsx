import { useState } from 'react';
import { Link } from '../../app/router';
import type { SiteIndicators } from '../../app/types';
import { SubjectMatrix } from '../../components/SubjectMatrix';
import { AsOfPicker, DownloadButton, ErrorBox, Loading, Section, Stat, Stats, today } from '../../components/ui';
import { QueryTable } from '../site/QueryInboxPage';
import { Table } from '../../components/Table';
import { DeviationRow, useSiteDetail } from './use-site-detail';

function Indicators({ indicators }: { indicators: SiteIndicators }) {
  return (
    <Section title="Indicators">
      <Stats testId="site-indicators">
        <Stat label="Enrolled">{indicators.patients.enrolled}</Stat>
        <Stat label="Randomized">{indicators.patients.randomized}</Stat>
        <Stat label="Overdue visits">{indicators.visits.overdue}</Stat>
        <Stat label="Missing forms">{indicators.visits.missingForms}</Stat>
        <Stat label="Open queries">{indicators.queries.open.count}</Stat>
        <Stat label="Deviations">{indicators.deviations.total}</Stat>
        <Stat label="Median entry latency (days)">{indicators.dataEntryLatency.median ?? '–'}</Stat>
      </Stats>
    </Section>
  );
}

function Deviations({ deviations }: { deviations: DeviationRow[] }) {
  return (
    <Section title={`Deviations (${deviations.length})`}>
      {deviations.length === 0 ? (
        <p>None.</p>
      ) : (
        <Table
          columns={['Patient', 'Deviation', 'Detail']}
          rows={deviations}
          rowKey={(_, index) => index}
          cells={(deviation) => [
            <Link to={`/app/patients/${deviation.patientId}`}>{deviation.patientId}</Link>,
            deviation.code,
            deviation.detail ?? '',
          ]}
        />
      )}
    </Section>
  );
}

/** One site as the monitor drills into it: indicators, subject matrix, deviations and queries, as of a date. */
export function SiteDetailPage({ siteId }: { siteId: string }) {
  const [asOf, setAsOf] = useState(today());
  const site = encodeURIComponent(siteId);
  const data = useSiteDetail(siteId, asOf);
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
          <Indicators indicators={d.indicators} />
          <Section title="Subject matrix">
            <SubjectMatrix patients={d.patients} signed={d.signed} />
          </Section>
          <Deviations deviations={d.deviations} />
          <Section title="Queries">
            <QueryTable queries={d.queries} actions={() => null} />
          </Section>
        </>
      )}
    </>
  );
}
