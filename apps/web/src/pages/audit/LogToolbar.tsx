import { DownloadButton, TextField } from '../../components/ui';
import type { LogFilters } from './audit-log';

/** The log's filters (type, stream, site, actor role, recorded between), the NDJSON download and a refresh. */
export function LogToolbar({ filters: { values, field }, types, reload }: { filters: LogFilters; types: string[]; reload: () => void }) {
  const type = field('type');
  return (
    <div className="toolbar" role="search" aria-label="Filter the log">
      <span className="field">
        <label htmlFor="f-type">Event type</label>
        <select id="f-type" value={values.type} onChange={(event) => type.onChange(event.target.value)}>
          <option value="">all</option>
          {types.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </span>
      <TextField id="f-stream" label="Stream or patient" {...field('stream')} />
      <TextField id="f-site" label="Site" {...field('site')} />
      <TextField id="f-role" label="Actor role" {...field('role')} />
      <TextField id="f-from" label="Recorded from" type="date" {...field('from')} />
      <TextField id="f-until" label="until" type="date" {...field('until')} />
      <DownloadButton path="/audit/events.ndjson" file="trialstream-log.ndjson">
        Download the log (NDJSON)
      </DownloadButton>
      <button type="button" className="secondary" onClick={reload}>
        Refresh
      </button>
    </div>
  );
}
