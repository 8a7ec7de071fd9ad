import { useMemo, useState } from 'react';
import { download, get, getIfAvailable } from '../../api/client';
import { useUser } from '../../app/session';
import { useApi } from '../../app/use-api';
import { Chart, ChartOption } from '../../components/Chart';
import type { Summary } from '../../domain';
import { ErrorBox, Loading, Section } from '../../components/ui';
import { Table } from '../../components/Table';

interface GroupView {
  group: number;
  patients: number;
  percentChange: Summary;
  percentOfBaseline: Summary;
}

interface EndpointSummary {
  patients: number;
  treated: number;
  igm: { evaluable: number; censored: number; latestPercentChange: Summary; nadirPercentChange: Summary };
  antiMag: { evaluable: number; censored: number; latestPercentChange: Summary; nadirPercentChange: Summary };
  ulnar: { evaluable: number; responders: number; worseners: number };
  incat: { evaluable: number; responders: number; legResponders: number; change: Summary; sensorySumChange: Summary };
  byDoseLevel: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
  byCycle: { IGM: GroupView[]; ANTI_MAG: GroupView[] };
}

interface TrialView {
  status: string;
  lockedAt: string | null;
  unblindedAt: string | null;
}

interface PatientEndpoints {
  subjectId: string;
  igm: { latestPercentChange?: number };
  antiMag: { latestPercentChange?: number };
}

interface Interval {
  difference: number;
  lower: number;
  upper: number;
  level: number;
}

interface Proportion {
  respondersA: number;
  nA: number;
  respondersB: number;
  nB: number;
  difference?: number;
  p: number;
}

interface ByArm {
  arms: Record<string, EndpointSummary>;
  comparison: null | {
    armA: string;
    armB: string;
    ulnarResponders: Proportion;
    incatResponders: Proportion;
    igmLatestPercentChange: Interval | null;
    antiMagLatestPercentChange: Interval | null;
    incatChange: Interval | null;
  };
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined || value === null ? '–' : value.toFixed(digits));

function waterfall(patients: PatientEndpoints[], pick: (patient: PatientEndpoints) => number | undefined, name: string): ChartOption {
  const points = patients
    .map((patient) => ({ id: patient.subjectId, value: pick(patient) }))
    .filter((point): point is { id: string; value: number } => typeof point.value === 'number')
    .sort((a, b) => b.value - a.value);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: points.map((point) => point.id), axisLabel: { rotate: 45, fontSize: 10 } },
    yAxis: { type: 'value', name: '% change' },
    series: [
      {
        name,
        type: 'bar',
        data: points.map((point) => ({
          value: Math.round(point.value * 10) / 10,
          itemStyle: { color: point.value < 0 ? '#1a7f37' : '#b42318' },
        })),
      },
    ],
  };
}

function GroupTable({ title, groups, label }: { title: string; groups: GroupView[]; label: string }) {
  return (
    <Table
      caption={title}
      columns={[label, 'Patients', 'n', 'Median % change', 'Mean % change', 'Min', 'Max']}
      rows={groups}
      rowKey={(group) => group.group}
      cells={(group) => [
        group.group,
        group.patients,
        group.percentChange.n,
        fixed(group.percentChange.median),
        fixed(group.percentChange.mean),
        fixed(group.percentChange.min),
        fixed(group.percentChange.max),
      ]}
    />
  );
}

function EndpointTables({ summary }: { summary: EndpointSummary }) {
  return (
    <>
      <div className="stats">
        <span className="stat">
          <span className="muted">Patients</span>
          <strong>{summary.patients}</strong>
        </span>
        <span className="stat">
          <span className="muted">Treated</span>
          <strong>{summary.treated}</strong>
        </span>
        <span className="stat">
          <span className="muted">IgM median % change</span>
          <strong>{fixed(summary.igm.latestPercentChange.median)}</strong>
        </span>
        <span className="stat">
          <span className="muted">Anti-MAG median % change</span>
          <strong>{fixed(summary.antiMag.latestPercentChange.median)}</strong>
        </span>
        <span className="stat">
          <span className="muted">Ulnar responders</span>
          <strong>
            {summary.ulnar.responders} / {summary.ulnar.evaluable}
          </strong>
        </span>
        <span className="stat">
          <span className="muted">INCAT responders</span>
          <strong>
            {summary.incat.responders} / {summary.incat.evaluable}
          </strong>
        </span>
      </div>
      <div className="grid-2">
        <GroupTable title="IgM per dose level (mg/m²)" groups={summary.byDoseLevel.IGM} label="Dose level" />
        <GroupTable title="Anti-MAG titer per dose level (mg/m²)" groups={summary.byDoseLevel.ANTI_MAG} label="Dose level" />
        <GroupTable title="IgM per cycle" groups={summary.byCycle.IGM} label="Cycle" />
        <GroupTable title="Anti-MAG titer per cycle" groups={summary.byCycle.ANTI_MAG} label="Cycle" />
      </div>
    </>
  );
}

const interval = (value: Interval | null) =>
  value ? `${fixed(value.difference)} (${Math.round(value.level * 100)} % CI ${fixed(value.lower)} to ${fixed(value.upper)})` : '–';
const proportion = (value: Proportion) =>
  `${value.respondersA}/${value.nA} vs ${value.respondersB}/${value.nB}, Fisher p = ${value.p.toFixed(3)}`;

/**
 * Statisticians and the safety board: pooled endpoints per visit, dose level and cycle, the waterfall of
 * IgM and titer change, the dataset; per-arm comparisons only once the trial is unblinded (and only for
 * roles that may see arms: a blinded statistician's page never asks for them).
 */
export function AnalysisPage() {
  const user = useUser();
  const [visit, setVisit] = useState('');
  // The protocol's named visits (a server without the route offers each patient's latest only).
  const protocol = useApi(() => getIfAvailable<{ visits: Array<{ name: string; label: string }> }>('/analysis/protocol'), []);
  const visits = protocol.data?.visits ?? [];
  const data = useApi(
    async () => {
      const [endpoints, patients] = await Promise.all([
        get<{ trial: TrialView; pooled: EndpointSummary }>('/analysis/endpoints', { visit }),
        get<{ patients: PatientEndpoints[] }>('/analysis/patients', { visit }),
      ]);
      const mayReadArms = user.role !== 'blinded_statistician' && endpoints.trial.unblindedAt !== null;
      const byArm = mayReadArms ? await get<ByArm>('/analysis/endpoints/by-arm', { visit }) : null;
      return { ...endpoints, patients: patients.patients, byArm };
    },
    [visit, user.role],
    { live: true },
  );
  const charts = useMemo(
    () =>
      data.data
        ? [
            {
              id: 'chart-waterfall-igm',
              label: 'IgM: % change from baseline per patient',
              option: waterfall(data.data.patients, (patient) => patient.igm.latestPercentChange, 'IgM'),
            },
            {
              id: 'chart-waterfall-titer',
              label: 'Anti-MAG titer: % change from baseline per patient',
              option: waterfall(data.data.patients, (patient) => patient.antiMag.latestPercentChange, 'anti-MAG'),
            },
          ]
        : [],
    [data.data],
  );
  return (
    <>
      <h1>Endpoints and safety</h1>
      <div className="toolbar">
        <span className="field">
          <label htmlFor="endpoint-visit">Visit</label>
          <select id="endpoint-visit" value={visit} onChange={(event) => setVisit(event.target.value)}>
            <option value="">each patient's latest</option>
            {visits.map((option) => (
              <option key={option.name} value={option.name}>
                {option.label}
              </option>
            ))}
          </select>
        </span>
        <button type="button" className="secondary" onClick={() => void download('/analysis/dataset.csv', 'analysis-dataset.csv')}>
          Download the analysis dataset (CSV)
        </button>
      </div>
      {data.loading && !data.data && <Loading what="endpoints" />}
      <ErrorBox error={data.error} />
      {data.data && (
        <>
          <p>
            Trial status: <strong data-testid="trial-status">{data.data.trial.status}</strong>
          </p>
          <Section title="Pooled endpoints">
            <EndpointTables summary={data.data.pooled} />
          </Section>
          <Section title="Waterfall plots">
            <div className="grid-2">
              {charts.map((chart) => (
                <Chart key={chart.id} label={chart.label} option={chart.option} testId={chart.id} />
              ))}
            </div>
          </Section>
          {data.data.byArm && (
            <div data-testid="by-arm">
              <Section title="Per-arm comparison (unblinded)">
                {data.data.byArm.comparison && (
                  <table data-testid="arm-comparison">
                    <tbody>
                      <tr>
                        <th scope="row">Arms</th>
                        <td>
                          {data.data.byArm.comparison.armA} vs {data.data.byArm.comparison.armB}
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">IgM % change, difference</th>
                        <td>{interval(data.data.byArm.comparison.igmLatestPercentChange)}</td>
                      </tr>
                      <tr>
                        <th scope="row">Anti-MAG % change, difference</th>
                        <td>{interval(data.data.byArm.comparison.antiMagLatestPercentChange)}</td>
                      </tr>
                      <tr>
                        <th scope="row">INCAT change, difference</th>
                        <td>{interval(data.data.byArm.comparison.incatChange)}</td>
                      </tr>
                      <tr>
                        <th scope="row">Ulnar responders</th>
                        <td>{proportion(data.data.byArm.comparison.ulnarResponders)}</td>
                      </tr>
                      <tr>
                        <th scope="row">INCAT responders</th>
                        <td>{proportion(data.data.byArm.comparison.incatResponders)}</td>
                      </tr>
                    </tbody>
                  </table>
                )}
                {Object.entries(data.data.byArm.arms).map(([arm, summary]) => (
                  <div key={arm}>
                    <h3>{arm}</h3>
                    <EndpointTables summary={summary} />
                  </div>
                ))}
              </Section>
            </div>
          )}
        </>
      )}
    </>
  );
}
