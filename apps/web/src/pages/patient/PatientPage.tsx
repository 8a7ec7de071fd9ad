import { SITE_ROLES, useUser } from '../../app/session';
import { TrajectoryCharts } from '../../components/Trajectories';
import { ErrorBox, Loading, Section } from '../../components/ui';
import { EntryPanel } from './EntryPanel';
import { PatientHeader } from './PatientHeader';
import { PatientQueries } from './PatientQueries';
import { PatientSummary } from './PatientSummary';
import { usePatientRecord } from './patient-record';
import { Signatures } from './Signatures';
import { Timeline } from './Timeline';

/** The patient's casebook: trajectories, timeline, and what the caller's role may do with it. */
export function PatientPage({ patientId }: { patientId: string }) {
  const user = useUser();
  const isSite = SITE_ROLES.includes(user.role);
  const isMonitor = user.role === 'monitor';
  const record = usePatientRecord(patientId, user.role, isSite || isMonitor);
  const { data, live } = record;
  const header = <PatientHeader patientId={patientId} asOf={record.asOf} onAsOf={record.setAsOf} at={record.at} />;
  if (!data)
    return (
      <>
        {header}
        {record.error ? <ErrorBox error={record.error} /> : <Loading what="the patient" />}
      </>
    );
  return (
    <>
      {header}
      <PatientSummary state={data.state} />
      {record.trajectories && (
        <Section title="Trajectories">
          <TrajectoryCharts data={record.trajectories} />
        </Section>
      )}
      {isSite && live && <EntryPanel patientId={patientId} state={data.state} onSaved={record.reload} />}
      <Timeline data={data} patientId={patientId} canAmend={isSite && live} canMonitor={isMonitor && live} onChanged={record.reload} />
      <PatientQueries
        patientId={patientId}
        queries={data.queries}
        canAnswer={isSite && live}
        canClose={isMonitor && live}
        onChanged={record.reload}
      />
      {(isSite || isMonitor) && (
        <Signatures
          patientId={patientId}
          signatures={data.signatures}
          scopes={data.scopes}
          canSign={user.role === 'investigator' && live}
          onSigned={record.reload}
          username={user.username}
        />
      )}
    </>
  );
}
