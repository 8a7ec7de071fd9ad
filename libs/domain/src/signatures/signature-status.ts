import { CommittedEvent, PatientState } from '../patient-state';
import { isCatalogued } from '../events/catalog';
import { SignatureCoverage, SignatureMeaning, SignatureScope, Signer } from './events';
import { touchesCoverage } from './signature-scope';

export type SignatureStatus = 'valid' | 'invalidated';

/** A signature as it stands: valid until a later event in its scope invalidates it, for good. */
export interface SignatureRecord {
  signatureId: string;
  /** The RecordSigned event. */
  eventId: string;
  meaning: SignatureMeaning;
  scope: SignatureScope;
  signer: Signer;
  signedAt: string;
  signedStreamVersion: number;
  coverage: SignatureCoverage;
  contentHash: string;
  status: SignatureStatus;
  invalidatedBy?: { eventId: string; type: string; occurredAt: string };
}

export type SignatureRecords = Readonly<Record<string, SignatureRecord>>;

/**
 * Folds one event of the patient's stream into the patient's signatures; `patient` is the patient's
 * state with the event already folded in (corrections applied), as `evolvePatient` leaves it.
 */
export function evolveSignatures(signatures: SignatureRecords, patient: PatientState, event: CommittedEvent): SignatureRecords {
  if (isCatalogued(event) && event.type === 'RecordSigned') {
    const data = event.data;
    const record: SignatureRecord = {
      signatureId: data.signatureId,
      eventId: event.eventId,
      meaning: data.meaning,
      scope: data.scope,
      signer: data.signer,
      signedAt: data.signedAt,
      signedStreamVersion: data.signedStreamVersion,
      coverage: data.coverage,
      contentHash: data.contentHash,
      status: 'valid',
    };
    return { ...signatures, [data.signatureId]: record };
  }
  let next = signatures;
  for (const [signatureId, record] of Object.entries(signatures)) {
    if (record.status !== 'valid') continue;
    if (!touchesCoverage(record.coverage, record.scope, patient, event.eventId)) continue;
    next = {
      ...next,
      [signatureId]: {
        ...record,
        status: 'invalidated',
        invalidatedBy: { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt },
      },
    };
  }
  return next;
}

/** Signatures in the order they were signed. */
export const signaturesInOrder = (signatures: SignatureRecords): SignatureRecord[] =>
  Object.values(signatures).sort((a, b) => a.signedStreamVersion - b.signedStreamVersion || (a.signedAt < b.signedAt ? -1 : 1));
