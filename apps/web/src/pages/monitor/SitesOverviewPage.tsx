import { useMemo, useState } from 'react';
import { get } from '../../api/client';
import { ageBuckets, AGE_BUCKETS, allRegistryPatients, cumulativeEnrolment } from '../../app/registry';
import { Link } from '../../app/router';
import type { Page, QueryView, SiteIndicators } from '../../app/types';
import { useApi } from '../../app/use-api';
import { Chart, ChartOption } from '../../components/Chart';
import { Table } from '../../components/Table';
import { AsOfPicker, ErrorBox, Loading, Section, today } from '../../components/ui';

interface Overview {
  sites: SiteIndicators[];
  enrolment: Record<string, Array<[string, number]>>;
  openQueryAges: Record<string, number[]>;
}

export async function loadOverview(asOf: string): Promise<Overview> {
  const sitesWithQueryAges = get<{ items: SiteIndicators[] }>('/monitoring/sites', { asOf }).then(async ({ items: sites }) => {
    const ages = await Promise.all(
      sites.map(async (site) => {
        const open = await get<Page<QueryView>>(`/monitoring/sites/${encodeURIComponent(site.siteId)}/queries`, {
          asOf,
          status: 'open',
          limit: 500,
        });
        return [site.siteId, open.items.map((query) => query.ageDays)] as const;
      }),
    );
    return { sites, openQueryAges: Object.fromEntries(ages) };
  });
  const [{ sites, openQueryAges }, patients] = await Promise.all([sitesWithQueryAges, allRegistryPatients()]);
  return { sites, enrolment: cumulativeEnrolment(patients, asOf), openQueryAges };
}

const bars = (categories: string[], series: Record<string, number[]>, extra: Record<string, unknown> = {}): ChartOption => ({
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: { left: 48, right: 16, top: 32, bottom: 32 },
  xAxis: { type: 'category', data: categories },
  yAxis: { type: 'value', ...extra },
  series: Object.entries(series).map(([name, data]) => ({ name, type: 'bar', data })),
});

/** Charts of the overview, built once per loaded overview (their options are plain data). */
export function overviewCharts(overview: Overview): Array<{ id: string; label: string; option: ChartOption }> {
  const siteIds = overview.sites.map((site) => site.siteId);
  return [
    {
      id: 'chart-enrolment',
      label: 'Cumulative enrolment per site',
      option: {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 32 },
        xAxis: { type: 'time' },
        yAxis: { type: 'value', minInterval: 1 },
        series: Object.entries(overview.enrolment).map(([siteId, points]) => ({
          name: siteId,
          type: 'line',
          step: 'end',
          showSymbol: false,
          data: points,
        })),
      },
    },
    {
      id: 'chart-overdue',
      label: 'Overdue visits and missing forms per site',
      option: bars(
        siteIds,
        {
          'overdue visits': overview.sites.map((site) => site.visits.overdue),
          'missing forms': overview.sites.map((site) => site.visits.missingForms),
        },
        { minInterval: 1 },
      ),
    },
    {
      id: 'chart-query-age',
      label: 'Open queries by age',
      option: {
        ...bars(siteIds, {}),
        series: AGE_BUCKETS.map(([name], bucket) => ({
          name,
          type: 'bar',
          stack: 'age',
          data: siteIds.map((siteId) => ageBuckets(overview.openQueryAges[siteId] ?? [])[bucket]),
        })),
      },
    },
    {
      id: 'chart-latency',
      label: 'Data-entry latency (days from visit to entry): median and 90th percentile',
      option: bars(
        siteIds,
        {
          median: overview.sites.map((site) => site.dataEntryLatency.median ?? 0),
          '90th percentile': overview.sites.map((site) => site.dataEntryLatency.p90 ?? 0),
        },
        { name: 'days' },
      ),
    },
    {
      id: 'chart-sdv',
      label: 'Source data verification progress (% of eligible entries verified)',
      option: bars(
        siteIds,
        { verified: overview.sites.map((site) => Math.round((site.sourceDataVerification.share ?? 0) * 100)) },
        { max: 100, name: '%' },
      ),
    },
  ];
}

/** The monitor's morning: every assigned site's indicators and plots, as of any date. */
export function SitesOverviewPage() {
  const [asOf, setAsOf] = useState(today());
  const overview = useApi(() => loadOverview(asOf), [asOf], { live: true });
  const charts = useMemo(() => (overview.data ? overviewCharts(overview.data) : []), [overview.data]);
  return (
    <>
      <h1>Sites overview</h1>
      <div className="toolbar">
        <AsOfPicker value={asOf} onChange={setAsOf} />
      </div>
      {overview.loading && !overview.data && <Loading what="sites" />}
      <ErrorBox error={overview.error} />
      {overview.data && (
        <>
          <Section title="Sites">
            <Table
              testId="sites-table"
              columns={['Site', 'Enrolled', 'Overdue visits', 'Missing forms', 'Open queries', 'Deviations', 'Serious AEs', 'SDV']}
              rows={overview.data.sites}
              rowKey={(site) => site.siteId}
              cells={(site) => [
                <>
                  <Link to={`/app/monitor/sites/${site.siteId}`}>{site.siteId}</Link> {site.name}
                </>,
                site.patients.enrolled,
                site.visits.overdue,
                site.visits.missingForms,
                site.queries.open.count,
                site.deviations.total,
                site.adverseEvents.serious,
                site.sourceDataVerification.share === null ? '–' : `${Math.round(site.sourceDataVerification.share * 100)} %`,
              ]}
            />
          </Section>
          <div className="grid-2">
            {charts.map((chart) => (
              <Chart key={chart.id} label={chart.label} option={chart.option} testId={chart.id} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
