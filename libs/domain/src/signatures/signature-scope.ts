import stringify from 'safe-stable-stringify';
import { redactForBlindedReader } from '../blinding';
import { clinicalTimeOf } from '../clinical-time';
import { PATIENT_EVENT_TYPES } from '../events/catalog';
import { addDays } from '../monitoring/calendar';
import { formOf } from '../monitoring/forms';
import { VisitSchedule } from '../monitoring/visit-schedule';
import { patientVisitStatus } from '../monitoring/visit-status';
import { PatientState } from '../patient-state';
import { ProtocolDefinition } from '../protocol';
import { RuleViolation, violation } from '../rule-violation';
import { SignatureCoverage, SignatureScope } from './events';

/** Data events, as opposed to queries, verifications, signatures or code-breaks on the same stream. */
const DATA_TYPES = new Set<string>(PATIENT_EVENT_TYPES);
const AMENDMENT_TYPES = new Set(['EntryCorrected', 'EntryVoided']);

export const isDataEventType = (type: string): boolean => DATA_TYPES.has(type);

export interface ScopeContent {
  coverage: SignatureCoverage;
  /** Canonical JSON of the covered events as they stand now; what the signature's hash is taken over. */
  canonicalContent: string;
}

/**
 * The covered events as the signer saw them: an investigator is blinded, so masked analytes are
 * hashed without their values. That keeps the hash from being tried against guessed values by
 * anyone who can read the signature, and a change to a masked value still invalidates the signature
 * (any amendment of a covered event does).
 */
const covered = (state: PatientState, eventIds: string[], protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>) =>
  eventIds.map((eventId) => {
    const entry = state.entries[eventId];
    const { data } = redactForBlindedReader(protocol, { type: entry.type, data: entry.data });
    return { eventId, type: entry.type, occurredAt: entry.occurredAt, data, voided: entry.voided };
  });

/**
 * The events a signature of this scope covers at `now`, or the violations that make it unsignable.
 * The casebook is every data event of the stream (amendments are already applied to the events they
 * amend); a visit is the events that fill its forms in the protocol's schedule.
 */
export function signatureScopeContent(
  state: PatientState,
  scope: SignatureScope,
  schedule: VisitSchedule,
  now: Date,
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
): { ok: true; content: ScopeContent } | { ok: false; violations: RuleViolation[] } {
  if (scope.kind === 'casebook') {
    const eventIds = Object.keys(state.entries).filter(
      (id) => DATA_TYPES.has(state.entries[id].type) && !AMENDMENT_TYPES.has(state.entries[id].type),
    );
    return { ok: true, content: { coverage: { eventIds }, canonicalContent: stringify(covered(state, eventIds, protocol)) ?? '[]' } };
  }
  // A site's clinical date may run a day ahead of the server's UTC date; a day more sees all of it.
  const asOf = addDays(now.toISOString().slice(0, 10), 1);
  const visit = patientVisitStatus(state, schedule, asOf).find((candidate) => candidate.visitId === scope.visit);
  if (!visit) {
    return { ok: false, violations: [violation('scope.visit', 'known-visit', `${scope.visit} is not a visit of this patient's schedule`)] };
  }
  const eventIds = visit.recordedForms.map((form) => form.eventId);
  if (eventIds.length === 0) {
    return { ok: false, violations: [violation('scope.visit', 'nothing-to-sign', `no data is recorded for ${scope.visit} yet`)] };
  }
  return {
    ok: true,
    content: {
      coverage: { eventIds, forms: [...visit.forms], windowStart: visit.windowStart, windowEnd: visit.windowEnd },
      canonicalContent: stringify(covered(state, eventIds, protocol)) ?? '[]',
    },
  };
}

/**
 * Whether a data event, folded into `state`, falls in what a signature covered: it amends a covered
 * event, or it records (or moves by correction) one of a signed visit's forms into the visit's window.
 * Everything in a casebook's scope.
 */
export function touchesCoverage(coverage: SignatureCoverage, scope: SignatureScope, state: PatientState, eventId: string): boolean {
  const entry = state.entries[eventId];
  if (!entry || !DATA_TYPES.has(entry.type)) return false;
  if (scope.kind === 'casebook') return true;
  const amended = AMENDMENT_TYPES.has(entry.type)
    ? String(
        (entry.data as { correctedEventId?: string; voidedEventId?: string }).correctedEventId ??
          (entry.data as { voidedEventId?: string }).voidedEventId,
      )
    : eventId;
  if (coverage.eventIds.includes(amended)) return true;
  const target = state.entries[amended];
  if (!target || target.voided || coverage.windowStart === undefined || coverage.windowEnd === undefined) return false;
  const form = formOf(target);
  if (form === undefined || !(coverage.forms ?? []).includes(form)) return false;
  const date = clinicalTimeOf(target.occurredAt).date;
  return coverage.windowStart <= date && date <= coverage.windowEnd;
}
