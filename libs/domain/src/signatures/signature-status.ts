import { CommittedEvent, PatientState } from '../patient-state';
import { CataloguedEvent, isCatalogued } from '../events/catalog';
import { SignatureCoverage, SignatureMeaning, SignatureScope, Signer } from './events';
import { touchesCoverage } from './signature-scope';
import { setOwnValue } from '../monitoring/own';

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

const signed = ({ eventId, data }: CataloguedEvent<CommittedEvent, 'RecordSigned'>): SignatureRecord => ({
  signatureId: data.signatureId,
  eventId,
  meaning: data.meaning,
  scope: data.scope,
  signer: data.signer,
  signedAt: data.signedAt,
  signedStreamVersion: data.signedStreamVersion,
  coverage: data.coverage,
  contentHash: data.contentHash,
  status: 'valid',
});

/** A signature stays valid until the first event in what it covered; that event invalidates it for good. */
const invalidated = (record: SignatureRecord, patient: PatientState, event: CommittedEvent): SignatureRecord | undefined =>
  record.status === 'valid' && touchesCoverage(record.coverage, record.scope, patient, event.eventId)
    ? { ...record, status: 'invalidated', invalidatedBy: { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt } }
    : undefined;

/**
 * A patient's signatures kept open over several events, as `PatientFold` keeps the patient: the records are
 * copied on the fold's first change and changed in place after that, so a stream costs one copy, not one per
 * signature and per invalidation. A changed record is replaced, never changed in place: the records the fold was
 * opened from may hold it, and they stay as they were.
 */
export class SignatureFold {
  private records: Record<string, SignatureRecord> | null = null;
  /**
   * The ids of the signatures still valid, which alone an event can invalidate (an invalidated one stays so): found
   * on the first event, then kept, so that an event is checked against those and not against every signature.
   */
  private valid: Set<string> | null = null;

  constructor(private signatures: SignatureRecords) {}

  get state(): SignatureRecords {
    return this.signatures;
  }

  /** Folds one event; `patient` is the patient's state with the event already folded in (corrections applied). */
  add(patient: PatientState, event: CommittedEvent): void {
    this.valid ??= new Set(Object.keys(this.signatures).filter((signatureId) => this.signatures[signatureId].status === 'valid'));
    if (isCatalogued(event) && event.type === 'RecordSigned') return this.setRecord(event.data.signatureId, signed(event));
    for (const signatureId of this.valid) {
      const next = invalidated(this.signatures[signatureId], patient, event);
      if (next) this.setRecord(signatureId, next);
    }
  }

  private setRecord(signatureId: string, record: SignatureRecord): void {
    this.records ??= this.signatures = { ...this.signatures };
    setOwnValue(this.records, signatureId, record);
    if (record.status === 'valid') this.valid?.add(signatureId);
    else this.valid?.delete(signatureId);
  }
}

/** Signatures in the order they were signed. */
export const signaturesInOrder = (signatures: SignatureRecords): SignatureRecord[] =>
  Object.values(signatures).sort((a, b) => a.signedStreamVersion - b.signedStreamVersion || (a.signedAt < b.signedAt ? -1 : 1));
