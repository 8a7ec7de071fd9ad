import { getIfAvailable } from '../api/client';

interface ScopeSignatureStatus {
  patientId: string;
  scope: string;
  status: 'signed' | 'unsigned' | 'invalidated' | string;
}

/**
 * Patients whose casebook carries a valid signature, as of a date. Empty when the server keeps no
 * signatures yet (its route answers 404): the matrix then marks nothing as signed.
 */
export async function signedCasebooks(siteId: string, asOf?: string): Promise<Record<string, boolean>> {
  const answer = await getIfAvailable<{ items: ScopeSignatureStatus[] }>(`/monitoring/sites/${encodeURIComponent(siteId)}/signatures`, {
    asOf,
    status: 'signed',
  });
  if (!answer) return {};
  return Object.fromEntries(answer.items.filter((item) => item.scope === 'casebook').map((item) => [item.patientId, true]));
}
