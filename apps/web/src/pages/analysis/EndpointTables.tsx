import { Table } from '../../components/Table';
import { Stat, Stats } from '../../components/ui';
import { EndpointSummary, fixed, GroupView } from './analysis-types';

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

/** One group's endpoints (pooled, or one arm's): headline figures, then the IgM and titer change per dose level and per cycle. */
export function EndpointTables({ summary }: { summary: EndpointSummary }) {
  return (
    <>
      <Stats>
        <Stat label="Patients">{summary.patients}</Stat>
        <Stat label="Treated">{summary.treated}</Stat>
        <Stat label="IgM median % change">{fixed(summary.igm.latestPercentChange.median)}</Stat>
        <Stat label="Anti-MAG median % change">{fixed(summary.antiMag.latestPercentChange.median)}</Stat>
        <Stat label="Ulnar responders">
          {summary.ulnar.responders} / {summary.ulnar.evaluable}
        </Stat>
        <Stat label="INCAT responders">
          {summary.incat.responders} / {summary.incat.evaluable}
        </Stat>
      </Stats>
      <div className="grid-2">
        <GroupTable title="IgM per dose level (mg/m²)" groups={summary.byDoseLevel.IGM} label="Dose level" />
        <GroupTable title="Anti-MAG titer per dose level (mg/m²)" groups={summary.byDoseLevel.ANTI_MAG} label="Dose level" />
        <GroupTable title="IgM per cycle" groups={summary.byCycle.IGM} label="Cycle" />
        <GroupTable title="Anti-MAG titer per cycle" groups={summary.byCycle.ANTI_MAG} label="Cycle" />
      </div>
    </>
  );
}
