/** A protocol or consistency rule the command broke. `field` is a dotted path into the command. */
export interface RuleViolation {
  field: string;
  rule: string;
  message: string;
}

export type Decision<TEvent> = { ok: true; events: TEvent[] } | { ok: false; violations: RuleViolation[] };

export const accept = <TEvent>(...events: TEvent[]): Decision<TEvent> => ({ ok: true, events });
export const reject = <TEvent = never>(violations: RuleViolation[]): Decision<TEvent> => ({ ok: false, violations });
export const violation = (field: string, rule: string, message: string): RuleViolation => ({ field, rule, message });
