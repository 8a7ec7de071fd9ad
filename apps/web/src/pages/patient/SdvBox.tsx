import { ErrorBox } from '../../components/ui';
import { patientPath } from './patient-record';
import { useCommand } from './use-command';

/** A monitor's source data verification of one entry: checking the box records it, once. */
export function SdvBox({
  patientId,
  eventId,
  checked,
  label,
  onDone,
}: {
  patientId: string;
  eventId: string;
  checked: boolean;
  label: string;
  onDone: () => void;
}) {
  const verification = useCommand(onDone);
  return (
    <>
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        disabled={checked}
        onChange={() => verification.send(`${patientPath(patientId)}/source-data-verifications`, { targetEventId: eventId })}
      />
      <ErrorBox error={verification.error} />
    </>
  );
}
