import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts we draw with, bundled (named once: the bundler keeps just these): nothing is fetched at run time.
echarts.use([
  charts.BarChart,
  charts.BoxplotChart,
  charts.LineChart,
  charts.ScatterChart,
  components.AriaComponent,
  components.DataZoomComponent,
  components.GridComponent,
  components.LegendComponent,
  components.MarkLineComponent,
  components.MarkPointComponent,
  components.TitleComponent,
  components.TooltipComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** One Apache ECharts chart (SVG), described for screen readers by `label`. */
export function Chart({ option, label, height = 280, testId }: { option: ChartOption; label: string; height?: number; testId?: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    chart.current = echarts.init(element.current, undefined, { renderer: 'svg' });
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true }, ...option }, true);
  }, [option]);

  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <div ref={element} role="img" aria-label={label} style={{ height }} data-testid={testId} />
    </figure>
  );
}
