import { useState } from 'react';
import { useUser } from '../../app/session';
import { DownloadButton, ErrorBox, Loading, Section } from '../../components/ui';
import { ArmComparisonTable } from './ArmComparisonTable';
import type { ByArm } from './analysis-types';
import { EndpointTables } from './EndpointTables';
import { useEndpoints, useProtocolVisits } from './use-endpoints';
import { Waterfalls } from './Waterfalls';

/** The visit the endpoints are read at, and the dataset download. */
function Toolbar({ visit, onVisit }: { visit: string; onVisit: (visit: string) => void }) {
  const visits = useProtocolVisits();
  return (
    <div className="toolbar">
      <span className="field">
        <label htmlFor="endpoint-visit">Visit</label>
        <select id="endpoint-visit" value={visit} onChange={(event) => onVisit(event.target.value)}>
          <option value="">each patient's latest</option>
          {visits.map((option) => (
            <option key={option.name} value={option.name}>
              {option.label}
            </option>
          ))}
        </select>
      </span>
      <DownloadButton path="/analysis/dataset.csv" file="analysis-dataset.csv">
        Download the analysis dataset (CSV)
      </DownloadButton>
    </div>
  );
}

function PerArm({ byArm }: { byArm: ByArm }) {
  return (
    <div data-testid="by-arm">
      <Section title="Per-arm comparison (unblinded)">
        {byArm.comparison && <ArmComparisonTable comparison={byArm.comparison} />}
        {Object.entries(byArm.arms).map(([arm, summary]) => (
          <div key={arm}>
            <h3>{arm}</h3>
            <EndpointTables summary={summary} />
          </div>
        ))}
      </Section>
    </div>
  );
}

/**
 * Statisticians and the safety board: pooled endpoints per visit, dose level and cycle, the waterfall of
 * IgM and titer change, the dataset; per-arm comparisons only once the trial is unblinded (and only for
 * roles that may see arms: a blinded statistician's page never asks for them).
 */
export function AnalysisPage() {
  const user = useUser();
  const [visit, setVisit] = useState('');
  const data = useEndpoints(visit, user.role);
  return (
    <>
      <h1>Endpoints and safety</h1>
      <Toolbar visit={visit} onVisit={setVisit} />
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
          <Waterfalls patients={data.data.patients} />
          {data.data.byArm && <PerArm byArm={data.data.byArm} />}
        </>
      )}
    </>
  );
}
