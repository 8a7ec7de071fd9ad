import { useMemo } from 'react';
import type { Point, Trajectories } from '../app/trajectories';
import { Chart, ChartOption } from './Chart';

const infusionMarks = (infusions: string[]) => ({
  symbol: 'none',
  silent: true,
  label: { formatter: 'infusion', position: 'insideEndTop', fontSize: 10 },
  lineStyle: { color: '#b42318', type: 'dashed' },
  data: infusions.map((date) => ({ xAxis: date })),
});

const DAY = 86_400_000;

/** One time range for every chart of the patient, a week beyond the first and last dates, so they line up. */
function rangeOf(data: Trajectories): { min?: number; max?: number } {
  const dates = [...data.igm, ...data.antiMag, ...data.incat, ...data.sensorySum, ...data.mrc, ...Object.values(data.conduction).flat()]
    .map((point) => point.date)
    .concat(data.infusions)
    .map((date) => Date.parse(date));
  if (dates.length === 0) return {};
  return { min: Math.min(...dates) - 7 * DAY, max: Math.max(...dates) + 7 * DAY };
}

function lineOption(
  series: Record<string, Point[]>,
  infusions: string[],
  yAxis: Record<string, unknown>,
  range: { min?: number; max?: number },
): ChartOption {
  const entries = Object.entries(series);
  return {
    tooltip: { trigger: 'axis' },
    legend: { show: entries.length > 1, top: 0 },
    grid: { left: 56, right: 16, top: entries.length > 1 ? 32 : 16, bottom: 32 },
    xAxis: { type: 'time', ...range },
    yAxis: { ...yAxis },
    series: entries.map(([name, points], index) => ({
      name,
      type: 'line',
      symbolSize: 8,
      data: points.map((point) => [point.date, point.value]),
      ...(index === 0 ? { markLine: infusionMarks(infusions) } : {}),
    })),
  };
}

/** A patient's trajectories, with every infusion marked as a dashed line. */
export function TrajectoryCharts({ data }: { data: Trajectories }) {
  const charts = useMemo(() => {
    const range = rangeOf(data);
    return [
      { label: 'IgM (g/L)', option: lineOption({ IgM: data.igm }, data.infusions, { type: 'value', name: 'g/L' }, range), id: 'chart-igm' },
      {
        label: 'Anti-MAG titer (BTU, log scale)',
        option: lineOption({ 'anti-MAG': data.antiMag }, data.infusions, { type: 'log', name: 'BTU' }, range),
        id: 'chart-anti-mag',
      },
      {
        label: 'Motor conduction velocity per nerve and side (m/s)',
        option: lineOption(data.conduction, data.infusions, { type: 'value', name: 'm/s' }, range),
        id: 'chart-ncv',
      },
      {
        label: 'INCAT disability (arms + legs)',
        option: lineOption({ INCAT: data.incat }, data.infusions, { type: 'value', min: 0, max: 10 }, range),
        id: 'chart-incat',
      },
      {
        label: 'Sensory sum and MRC sum scores',
        option: lineOption({ 'sensory sum': data.sensorySum, 'MRC sum': data.mrc }, data.infusions, { type: 'value', min: 0 }, range),
        id: 'chart-scores',
      },
    ];
  }, [data]);
  return (
    <div className="grid-2">
      {charts.map((chart) => (
        <Chart key={chart.id} label={chart.label} option={chart.option} height={230} testId={chart.id} />
      ))}
    </div>
  );
}
