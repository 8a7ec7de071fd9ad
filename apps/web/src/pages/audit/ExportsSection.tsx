import { DownloadButton, Section } from '../../components/ui';

const SDTM_DOMAINS = ['DM', 'EX', 'LB', 'NV', 'QS', 'AE', 'DS'];

/** The exports an auditor takes away: CDISC ODM, each SDTM domain, and the raw log. */
export function ExportsSection() {
  return (
    <Section title="Exports">
      <p>
        <DownloadButton path="/audit/exports/odm.xml" file="trialstream-odm.xml">
          CDISC ODM 1.3.2 (XML)
        </DownloadButton>{' '}
        {SDTM_DOMAINS.map((domain) => (
          <span key={domain}>
            <DownloadButton path={`/audit/exports/sdtm/${domain}.csv`} file={`sdtm-${domain}.csv`}>
              {`SDTM ${domain}`}
            </DownloadButton>{' '}
          </span>
        ))}
        <DownloadButton path="/audit/events.ndjson" file="trialstream-log.ndjson">
          The log (NDJSON)
        </DownloadButton>
      </p>
    </Section>
  );
}
