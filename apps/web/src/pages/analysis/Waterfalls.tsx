import { useMemo } from 'react';
import { Chart, ChartOption } from '../../components/Chart';
import { Section } from '../../components/ui';
import type { PatientEndpoints } from './analysis-types';

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

/** Each patient's IgM and anti-MAG titer change from baseline, largest rise first. */
export function Waterfalls({ patients }: { patients: PatientEndpoints[] }) {
  const charts = useMemo(
    () => [
      {
        id: 'chart-waterfall-igm',
        label: 'IgM: % change from baseline per patient',
        option: waterfall(patients, (patient) => patient.igm.latestPercentChange, 'IgM'),
      },
      {
        id: 'chart-waterfall-titer',
        label: 'Anti-MAG titer: % change from baseline per patient',
        option: waterfall(patients, (patient) => patient.antiMag.latestPercentChange, 'anti-MAG'),
      },
    ],
    [patients],
  );
  return (
    <Section title="Waterfall plots">
      <div className="grid-2">
        {charts.map((chart) => (
          <Chart key={chart.id} label={chart.label} option={chart.option} testId={chart.id} />
        ))}
      </div>
    </Section>
  );
}
