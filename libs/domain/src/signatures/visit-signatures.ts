import { MonitoredPatientState } from '../monitoring/monitoring-state';
import { VisitSchedule } from '../monitoring/visit-schedule';
import { patientVisitStatus } from '../monitoring/visit-status';
import { signaturesInOrder } from './signature-status';

/** Per patient and visit: `signed` by a valid signature, `invalidated` by a later change, or `unsigned`. */
export type SignatureState = 'signed' | 'unsigned' | 'invalidated';

export interface ScopeSignatureStatus {
  /** `casebook`, or the visit's name in the protocol's schedule. */
  scope: string;
  label: string;
  status: SignatureState;
  signatureId?: string;
  signedAt?: string;
  signedBy?: string;
  invalidatedBy?: { eventId: string; type: string };
}

/** What awaits an investigator's signature: data never signed, or signed and changed since. */
export const isAwaitingSignature = (status: ScopeSignatureStatus): boolean => status.status !== 'signed';

/**
 * The signature state of the casebook and of every visit with data at `asOf`. A visit's state is that of
 * the latest signature of the visit or of the whole casebook, whichever came last.
 */
export function signatureStatusOf(state: MonitoredPatientState, schedule: VisitSchedule, asOf: string): ScopeSignatureStatus[] {
  const signatures = signaturesInOrder(state.signatures ?? {});
  const latest = (visitId?: string) =>
    [...signatures]
      .reverse()
      .find((s) => s.scope.kind === 'casebook' || (visitId !== undefined && s.scope.kind === 'visit' && s.scope.visit === visitId));
  const statusOf = (scope: string, label: string, visitId?: string): ScopeSignatureStatus => {
    const signature = latest(visitId);
    if (!signature) return { scope, label, status: 'unsigned' };
    return {
      scope,
      label,
      status: signature.status === 'valid' ? 'signed' : 'invalidated',
      signatureId: signature.signatureId,
      signedAt: signature.signedAt,
      signedBy: signature.signer.printedName,
      ...(signature.invalidatedBy
        ? { invalidatedBy: { eventId: signature.invalidatedBy.eventId, type: signature.invalidatedBy.type } }
        : {}),
    };
  };
  const casebookSignature = [...signatures].reverse().find((s) => s.scope.kind === 'casebook');
  const casebook = casebookSignature
    ? statusOf('casebook', 'Casebook')
    : { scope: 'casebook', label: 'Casebook', status: 'unsigned' as const };
  const visits = patientVisitStatus(state.patient, schedule, asOf)
    .filter((visit) => visit.recordedForms.length > 0)
    .map((visit) => statusOf(visit.visitId, visit.label, visit.visitId));
  return [casebook, ...visits];
}
