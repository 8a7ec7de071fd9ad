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

function lineOption(series: Record<string, Point[]>, infusions: string[], yAxis: Record<string, unknown>): ChartOption {
  const entries = Object.entries(series);
  return {
    tooltip: { trigger: 'axis' },
    legend: { show: entries.length > 1, top: 0 },
    grid: { left: 56, right: 16, top: entries.length > 1 ? 32 : 16, bottom: 32 },
    xAxis: { type: 'time' },
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
  const charts = useMemo(
    () => [
      { label: 'IgM (g/L)', option: lineOption({ IgM: data.igm }, data.infusions, { type: 'value', name: 'g/L' }), id: 'chart-igm' },
      { label: 'Anti-MAG titer (BTU, log scale)', option: lineOption({ 'anti-MAG': data.antiMag }, data.infusions, { type: 'log', name: 'BTU' }), id: 'chart-anti-mag' },
      { label: 'Motor conduction velocity per nerve and side (m/s)', option: lineOption(data.conduction, data.infusions, { type: 'value', name: 'm/s' }), id: 'chart-ncv' },
      { label: 'INCAT disability (arms + legs)', option: lineOption({ INCAT: data.incat }, data.infusions, { type: 'value', min: 0, max: 10 }), id: 'chart-incat' },
      { label: 'Sensory sum and MRC sum scores', option: lineOption({ 'sensory sum': data.sensorySum, 'MRC sum': data.mrc }, data.infusions, { type: 'value', min: 0 }), id: 'chart-scores' },
    ],
    [data],
  );
  return (
    <div className="grid-2">
      {charts.map((chart) => (
        <Chart key={chart.id} label={chart.label} option={chart.option} height={230} testId={chart.id} />
      ))}
    </div>
  );
}
