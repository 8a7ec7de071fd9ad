/** Shapes of the public API's answers that pages read (the server's OpenAPI at /docs is the reference). */
export interface VisitCell {
  visitId: string;
  label: string;
  kind: 'assessment' | 'infusion';
  status: 'upcoming' | 'due' | 'overdue' | 'done';
  missingForms: string[];
}

export interface PatientListItem {
  patientId: string;
  status: string;
  consentDate: string;
  randomizationDate: string | null;
  withdrawalDate: string | null;
  schedule?: VisitCell[];
  overdueVisits: Array<{ visitId: string; label: string; missingForms: string[] }>;
  visits: { expected: number; done: number; due: number; overdue: number; missingForms: number };
  queries: Record<'open' | 'answered' | 'closed' | 'cancelled', number>;
  sourceDataVerification: { verified: number; eligible: number; share: number | null };
  deviations: number;
  adverseEvents: { total: number; serious: number };
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  asOf?: string;
}

export interface LatencySummary {
  count: number;
  [key: string]: number | null;
}

export interface SiteIndicators {
  siteId: string;
  name: string | null;
  asOf: string;
  patients: Record<string, number>;
  visits: { expected: number; done: number; due: number; overdue: number; missingForms: number };
  dataEntryLatency: LatencySummary;
  deviations: { total: number; byCode: Record<string, number> };
  adverseEvents: { total: number; serious: number };
  queries: Record<'open' | 'answered' | 'closed' | 'cancelled', { count: number; oldestAgeDays: number | null }>;
  sourceDataVerification: { verified: number; eligible: number; share: number | null };
  codeBreaks: { events: number; patients: number };
}

export interface QueryView {
  queryId: string;
  patientId: string;
  siteId: string | null;
  targetEventId: string;
  targetType: string | null;
  field: string;
  status: 'open' | 'answered' | 'closed' | 'cancelled';
  text: string;
  raisedAt: string;
  ageDays: number;
  answer: { text: string; at: string; correctionEventId?: string } | null;
  currentValue: unknown;
}

export interface EventEnvelope {
  eventId: string;
  type: string;
  schemaVersion?: number;
  streamId: string;
  streamVersion?: number;
  version?: number;
  globalPosition?: string | number;
  siteId?: string | null;
  actor?: { userId: string; role: string };
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
  correctsEventId?: string | null;
  reason?: string | null;
  [key: string]: unknown;
}

export interface Signature {
  signatureId: string;
  meaning: string;
  scope: { kind: 'casebook' } | { kind: 'visit'; visit: string };
  status: 'valid' | 'invalidated';
  signedAt?: string;
  signer?: { userId: string; username: string; printedName: string; role: string };
  invalidatedBy?: { eventId: string; type: string; occurredAt?: string };
}
