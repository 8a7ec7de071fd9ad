import type { ArmComparison, Interval, Proportion } from './analysis-types';
import { fixed } from './analysis-types';

const interval = (value: Interval | null) =>
  value ? `${fixed(value.difference)} (${Math.round(value.level * 100)} % CI ${fixed(value.lower)} to ${fixed(value.upper)})` : '–';
const proportion = (value: Proportion) =>
  `${value.respondersA}/${value.nA} vs ${value.respondersB}/${value.nB}, Fisher p = ${value.p.toFixed(3)}`;

/** Arm A against arm B: mean differences with their interval, responder counts with Fisher's p. */
export function ArmComparisonTable({ comparison }: { comparison: ArmComparison }) {
  const rows: Array<[string, string]> = [
    ['Arms', `${comparison.armA} vs ${comparison.armB}`],
    ['IgM % change, difference', interval(comparison.igmLatestPercentChange)],
    ['Anti-MAG % change, difference', interval(comparison.antiMagLatestPercentChange)],
    ['INCAT change, difference', interval(comparison.incatChange)],
    ['Ulnar responders', proportion(comparison.ulnarResponders)],
    ['INCAT responders', proportion(comparison.incatResponders)],
  ];
  return (
    <table data-testid="arm-comparison">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
