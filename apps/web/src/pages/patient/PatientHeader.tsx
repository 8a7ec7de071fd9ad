import { AsOfPicker } from '../../components/ui';

/** The patient's name and the moment shown: now, or the record as it stood at a past moment (read-only). */
export function PatientHeader({
  patientId,
  asOf,
  onAsOf,
  at,
}: {
  patientId: string;
  asOf: string;
  onAsOf: (asOf: string) => void;
  at: string | null;
}) {
  return (
    <>
      <h1>Patient {patientId}</h1>
      <div className="toolbar" role="group" aria-label="Moment shown">
        <AsOfPicker type="datetime-local" label="Record as of" value={asOf} onChange={onAsOf} />
        {asOf && (
          <button type="button" className="secondary" onClick={() => onAsOf('')}>
            Back to now
          </button>
        )}
      </div>
      {at && (
        <p role="note" data-testid="as-of-notice">
          The record as it stood at {at.slice(0, 19).replace('T', ' ')} UTC: entries recorded later, and corrections made later, are not
          shown. Read-only.
        </p>
      )}
    </>
  );
}
