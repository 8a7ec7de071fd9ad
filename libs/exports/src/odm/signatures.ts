import {
  EventEnvelope,
  monitoredPatientStateFrom,
  patientIdOfStream,
  SIGNATURE_LEGAL_REASON,
  SIGNATURE_MEANING_TEXT,
  SIGNATURE_MEANINGS,
  SignatureMeaning,
  SignatureRecord,
  signaturesInOrder,
} from '@trialstream/domain';

export const signatureDefOid = (meaning: SignatureMeaning): string => `SD.${meaning.toUpperCase()}`;

/** One ODM `SignatureDef` per meaning a signature can have (AdminData). */
export const SIGNATURE_DEFS = SIGNATURE_MEANINGS.map((meaning) => ({
  oid: signatureDefOid(meaning),
  meaning: SIGNATURE_MEANING_TEXT[meaning],
  legalReason: SIGNATURE_LEGAL_REASON,
}));

/** The signatures that still hold, per patient: the casebook's (on SubjectData) and each signed entry's (on its FormData). */
export interface ValidSignatures {
  casebook: Map<string, SignatureRecord>;
  /** By entry id (the event that first recorded the entry): the latest valid visit signature covering it. */
  entries: Map<string, SignatureRecord>;
}

/**
 * ODM carries one Signature per element, so an export shows the latest signature in force of each
 * scope; invalidated signatures stay in the log (and in the audit trail export), not in the snapshot.
 */
export function validSignatures(events: readonly EventEnvelope[]): ValidSignatures {
  const byPatient = new Map<string, EventEnvelope[]>();
  for (const event of events) {
    const patientId = patientIdOfStream(event.streamId);
    if (patientId === undefined) continue;
    byPatient.set(patientId, [...(byPatient.get(patientId) ?? []), event]);
  }
  const result: ValidSignatures = { casebook: new Map(), entries: new Map() };
  for (const [patientId, stream] of byPatient) {
    if (!stream.some((event) => event.type === 'RecordSigned')) continue;
    for (const signature of signaturesInOrder(monitoredPatientStateFrom(stream).signatures)) {
      if (signature.status !== 'valid') continue;
      if (signature.scope.kind === 'casebook') result.casebook.set(patientId, signature);
      else for (const eventId of signature.coverage.eventIds) result.entries.set(eventId, signature);
    }
  }
  return result;
}
