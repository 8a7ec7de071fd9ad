import { RuleViolation, violation } from './rule-violation';
import { RULE } from './rules';
import { NumericRange } from './protocol';
import { ClinicalTime, isInTheFuture, parseCalendarDate, parseClinicalTime } from './clinical-time';

/** Field paths: `nerves[1].motorConductionVelocityMs`. */
export const fieldPath = (...parts: (string | number)[]): string =>
  parts.reduce<string>((path, part) => {
    if (typeof part === 'number') return `${path}[${part}]`;
    return path ? `${path}.${part}` : part;
  }, '');

const describeRange = (range: NumericRange): string =>
  `${range.minExclusive ? 'more than' : 'from'} ${range.min} ${range.minExclusive ? 'and at most' : 'to'} ${range.max}`;

export const isInRange = (value: number, range: NumericRange): boolean =>
  (range.minExclusive ? value > range.min : value >= range.min) && value <= range.max;

/**
 * Collects the violations of one command. Each check returns the value when it is valid (typed)
 * and undefined otherwise, so a decide function reads as a list of the rules it applies.
 */
export class Violations {
  readonly list: RuleViolation[] = [];

  get any(): boolean {
    return this.list.length > 0;
  }

  add(field: string, rule: string, message: string): void {
    this.list.push(violation(field, rule, message));
  }

  addAll(violations: RuleViolation[]): void {
    this.list.push(...violations);
  }

  requiredText(value: unknown, field: string, maxLength = 500): string | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (typeof value !== 'string') return void this.add(field, RULE.mustBeText, `${field} must be text`);
    if (value.trim() === '') return void this.add(field, RULE.required, `${field} must not be blank`);
    if (value.length > maxLength) {
      return void this.add(field, RULE.outOfRange, `${field} must be at most ${maxLength} characters`);
    }
    return value;
  }

  optionalText(value: unknown, field: string, maxLength = 500): string | undefined {
    return value === undefined || value === null ? undefined : this.requiredText(value, field, maxLength);
  }

  /** Identifiers end up in stream ids and subject numbers, so they stay plain. */
  identifier(value: unknown, field: string): string | undefined {
    const text = this.requiredText(value, field, 64);
    if (text === undefined) return undefined;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text)) {
      return void this.add(field, RULE.invalidIdentifier, `${field} may contain only letters, digits, '.', '_' and '-'`);
    }
    return text;
  }

  requiredNumber(value: unknown, field: string, range: NumericRange): number | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return void this.add(field, RULE.mustBeNumber, `${field} must be a number`);
    }
    if (range.integer && !Number.isInteger(value)) {
      return void this.add(field, RULE.mustBeInteger, `${field} must be a whole number`);
    }
    if (!isInRange(value, range)) {
      return void this.add(field, RULE.outOfRange, `${field} must be ${describeRange(range)}, got ${value}`);
    }
    return value;
  }

  optionalNumber(value: unknown, field: string, range: NumericRange): number | undefined {
    return value === undefined || value === null ? undefined : this.requiredNumber(value, field, range);
  }

  requiredBoolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (typeof value !== 'boolean') return void this.add(field, RULE.mustBeBoolean, `${field} must be true or false`);
    return value;
  }

  oneOf<T extends string | number>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (!(allowed as readonly unknown[]).includes(value)) {
      return void this.add(field, RULE.notOneOf, `${field} must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  optionalOneOf<T extends string | number>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    return value === undefined || value === null ? undefined : this.oneOf(value, field, allowed);
  }

  items(value: unknown, field: string, { nonEmpty = true } = {}): unknown[] | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (!Array.isArray(value)) return void this.add(field, RULE.mustBeList, `${field} must be a list`);
    if (nonEmpty && value.length === 0) return void this.add(field, RULE.required, `${field} must not be empty`);
    return value as unknown[];
  }

  object(value: unknown, field: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return this.missing(field);
    if (typeof value !== 'object' || Array.isArray(value)) {
      return void this.add(field, RULE.mustBeObject, `${field} must be an object`);
    }
    return value as Record<string, unknown>;
  }

  /** A clinical time (date, or date-time with offset) that is not ahead of the server's clock. */
  clinicalTime(value: unknown, field: string, now: Date, allowedSkewMinutes: number): ClinicalTime | undefined {
    if (value === undefined || value === null) return this.missing(field);
    const time = parseClinicalTime(value);
    if (!time) {
      return void this.add(
        field,
        RULE.invalidClinicalTime,
        `${field} must be a date (YYYY-MM-DD) or a date-time with offset (YYYY-MM-DDThh:mm:ss+hh:mm)`,
      );
    }
    if (isInTheFuture(time, now, allowedSkewMinutes)) {
      return void this.add(field, RULE.inTheFuture, `${field} must not be in the future`);
    }
    return time;
  }

  /** A calendar date (YYYY-MM-DD) that is not ahead of the server's clock. */
  pastDate(value: unknown, field: string, now: Date, allowedSkewMinutes: number): string | undefined {
    if (value === undefined || value === null) return this.missing(field);
    const date = parseCalendarDate(value);
    if (!date) return void this.add(field, RULE.invalidDate, `${field} must be a date (YYYY-MM-DD)`);
    if (isInTheFuture({ date }, now, allowedSkewMinutes)) {
      return void this.add(field, RULE.inTheFuture, `${field} must not be in the future`);
    }
    return date;
  }

  private missing(field: string): undefined {
    this.add(field, RULE.required, `${field} is required`);
    return undefined;
  }
}

/** Reads a command that may not even be an object (the domain trusts no caller). */
export const fieldsOf = (command: unknown): Record<string, unknown> =>
  typeof command === 'object' && command !== null && !Array.isArray(command) ? (command as Record<string, unknown>) : {};
