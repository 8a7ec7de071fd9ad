import { getIfAvailable } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { DownloadButton, ErrorBox, NotYetAvailable, Section } from '../../components/ui';

/** A recorded root over every stream head (LogCheckpointed), as the auditor keeps it. */
interface Checkpoint {
  position: string;
  takenAt: string;
  eventCount: number;
  streamCount: number;
  root: string;
}

/** The recorded checkpoints, to download and keep apart from the platform. */
export function CheckpointsSection() {
  const checkpoints = useApi(() => getIfAvailable<{ checkpoints: Checkpoint[] }>('/audit/checkpoints'), []);
  const checkpointList = checkpoints.data ? checkpoints.data.checkpoints : null;
  return (
    <Section title="Checkpoints">
      <ErrorBox error={checkpoints.error} />
      {checkpoints.data === null && <NotYetAvailable what="Recorded checkpoints" />}
      {checkpointList && (
        <>
          <DownloadButton path="/audit/checkpoints" file="trialstream-checkpoints.json">
            Download checkpoints (JSON)
          </DownloadButton>
          <Table
            columns={['Position', 'Taken', 'Events / streams', 'Root']}
            rows={checkpointList}
            rowKey={(checkpoint) => checkpoint.position}
            cells={(checkpoint) => [
              checkpoint.position,
              checkpoint.takenAt,
              `${checkpoint.eventCount} / ${checkpoint.streamCount}`,
              <span className="pre">{checkpoint.root}</span>,
            ]}
          />
        </>
      )}
    </Section>
  );
}
