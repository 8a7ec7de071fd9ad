import { ClinicalTime } from '../clinical-time';
import { EventDraft } from '../envelope';
import { AmendableEventType, AmendablePayloadByType } from '../events/amendment';
import { draftEvent, StoredEventPayloadByType } from '../events/catalog';
import { PatientState } from '../patient-state';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { fieldPath, fieldsOf, Violations } from '../validation';
import { admitPatientData } from './admission';

/** What a payload builder works from; the same for a new entry and for a correction of one. */
export interface PayloadInput {
  state: PatientState;
  /** The payload fields as submitted (not trusted). */
  fields: Record<string, unknown>;
  /** The entry's clinical time, when valid. */
  time: ClinicalTime | undefined;
  ctx: DecisionContext;
  /** Field path of a payload field in the command: `x` for a new entry, `data.x` in a correction. */
  at: (...path: (string | number)[]) => string;
  /** Set when correcting: the id of the entry being replaced. */
  amendedEventId?: string;
}

/**
 * Validates a payload and derives what the domain adds to it (cycle, dose, deviations). It is the
 * one place the rules of an entry type live: a new entry and a correction both go through it.
 */
export type PayloadBuilder<K extends AmendableEventType> = (
  input: PayloadInput,
  issues: Violations,
) => AmendablePayloadByType[K] | undefined;

export const pathUnder =
  (root: string) =>
  (...path: (string | number)[]): string =>
    fieldPath(root, ...path);

/** Copies the defined values only, so that payloads compare and hash the same however they were built. */
export const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** The decide function of a clinical-data entry: admit the patient and time, then build the payload. */
export const decideEntry =
  <K extends AmendableEventType>(type: K, build: PayloadBuilder<K>) =>
  (state: PatientState, command: unknown, ctx: DecisionContext): Decision<EventDraft<K, AmendablePayloadByType[K]>> => {
    const issues = new Violations();
    const fields = fieldsOf(command);
    const time = admitPatientData(state, fields.occurredAt, ctx, issues);
    if (state.status === 'not_enrolled' || state.status === 'screen_failed') return reject(issues.list);
    const data = build({ state, fields, time, ctx, at: pathUnder('') }, issues);
    if (issues.any || !data) return reject(issues.list);
    // TypeScript does not see that the two payload maps agree on amendable types
    return accept(draftEvent(type, fields.occurredAt as string, data as StoredEventPayloadByType[K]));
  };
