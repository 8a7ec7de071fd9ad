import { Decider, stateOf } from '../deciders';
import { EventDraft } from '../envelope';
import { CommittedEvent } from '../patient-state';
import { DecisionContext } from '../protocol';
import { Decision } from '../rule-violation';
import { upcastStoredEvent } from '../stored-event-upcaster';
import { context } from './builders';

/** A past event as the store holds it: an old schema version is upcast the way the read path does. */
export interface GivenEvent {
  type: string;
  data: unknown;
  occurredAt?: string;
  eventId?: string;
  /** The version it was written with; the type's current one when absent. */
  schemaVersion?: number;
}

/** Past events as a fold receives them: read (upcast by the one upcaster), with ids and times filled in. */
export const asRead = (events: readonly GivenEvent[]): CommittedEvent[] =>
  events.map((event, index) => {
    const upcast =
      event.schemaVersion === undefined ? event : { ...event, ...upcastStoredEvent(event.type, event.schemaVersion, event.data) };
    return { eventId: event.eventId ?? `given-${index + 1}`, occurredAt: event.occurredAt ?? '2024-01-01', ...upcast } as CommittedEvent;
  });

export interface Then<E> {
  /** The decision, for assertions of its own. */
  decision(): Decision<E>;
  /** Accepted, with exactly these events. */
  then(...expected: EventDraft[]): void;
  /** Accepted, with events of these types, in this order. */
  thenTypes(...expected: string[]): void;
  /** Refused, naming exactly these fields and rules (in any order). */
  thenViolates(...expected: Array<{ field: string; rule: string }>): void;
}

/**
 * Given / When / Then for a decider: given past events (old schema versions included), when a command,
 * then the events it yields or the rules it breaks.
 *
 *   given(patientDecider, enrolled).when({ kind: 'infusion', command }).then({ type: 'InfusionGiven' })
 */
export const given = <S, C, E extends EventDraft>(decider: Decider<S, C, E>, ...events: Array<GivenEvent | readonly GivenEvent[]>) => {
  const past = asRead(events.flat());
  return {
    state: (): S => stateOf(decider, past),
    when(command: C, ctx: DecisionContext = context()): Then<E> {
      const decision = () => decider.decide(command, stateOf(decider, past), ctx);
      return {
        decision,
        then(...expected) {
          expect(decision()).toEqual({ ok: true, events: expected });
        },
        thenTypes(...expected) {
          const outcome = decision();
          expect(outcome.ok ? outcome.events.map((event) => event.type) : outcome.violations).toEqual(expected);
        },
        thenViolates(...expected) {
          const outcome = decision();
          expect(outcome.ok).toBe(false);
          const found = outcome.ok ? [] : outcome.violations.map(({ field, rule }) => ({ field, rule }));
          expect(found).toEqual(expect.arrayContaining(expected));
          expect(found).toHaveLength(expected.length);
        },
      };
    },
  };
};
