import { fieldPath, fieldsOf, isInRange, Violations } from './validation';

describe('fieldPath', () => {
  it('joins names with dots and indexes with brackets', () => {
    expect(fieldPath('nerves', 1, 'motorConductionVelocityMs')).toBe('nerves[1].motorConductionVelocityMs');
    expect(fieldPath('', 'value')).toBe('value');
    expect(fieldPath('data', 'nerves', 0)).toBe('data.nerves[0]');
  });
});

describe('isInRange', () => {
  it('includes both bounds unless the lower one is exclusive', () => {
    expect(isInRange(0, { min: 0, max: 5 })).toBe(true);
    expect(isInRange(5, { min: 0, max: 5 })).toBe(true);
    expect(isInRange(0, { min: 0, max: 5, minExclusive: true })).toBe(false);
    expect(isInRange(5.1, { min: 0, max: 5 })).toBe(false);
  });
});

describe('Violations', () => {
  const check = (run: (issues: Violations) => unknown) => {
    const issues = new Violations();
    const value = run(issues);
    return { value, rules: issues.list.map((v) => `${v.field}:${v.rule}`) };
  };

  it('returns a valid number and reports why others are not', () => {
    const range = { min: 0, max: 5, integer: true };
    expect(check((i) => i.requiredNumber(3, 'x', range))).toEqual({ value: 3, rules: [] });
    expect(check((i) => i.requiredNumber(undefined, 'x', range)).rules).toEqual(['x:required']);
    expect(check((i) => i.requiredNumber('3', 'x', range)).rules).toEqual(['x:must-be-number']);
    expect(check((i) => i.requiredNumber(Number.NaN, 'x', range)).rules).toEqual(['x:must-be-number']);
    expect(check((i) => i.requiredNumber(2.5, 'x', range)).rules).toEqual(['x:must-be-integer']);
    expect(check((i) => i.requiredNumber(6, 'x', range)).rules).toEqual(['x:out-of-range']);
    expect(check((i) => i.optionalNumber(undefined, 'x', range))).toEqual({ value: undefined, rules: [] });
  });

  it('wants text that is not blank and not too long', () => {
    expect(check((i) => i.requiredText('ok', 't')).value).toBe('ok');
    expect(check((i) => i.requiredText('   ', 't')).rules).toEqual(['t:required']);
    expect(check((i) => i.requiredText(5, 't')).rules).toEqual(['t:must-be-text']);
    expect(check((i) => i.requiredText('abcdef', 't', 5)).rules).toEqual(['t:out-of-range']);
    expect(check((i) => i.optionalText(null, 't')).rules).toEqual([]);
  });

  it('keeps identifiers plain, since they become stream ids', () => {
    expect(check((i) => i.identifier('ZH-01_a.b', 'id')).value).toBe('ZH-01_a.b');
    expect(check((i) => i.identifier('ZH 01', 'id')).rules).toEqual(['id:invalid-identifier']);
    expect(check((i) => i.identifier('-01', 'id')).rules).toEqual(['id:invalid-identifier']);
  });

  it('checks booleans, enumerations, lists and objects', () => {
    expect(check((i) => i.requiredBoolean('true', 'b')).rules).toEqual(['b:must-be-boolean']);
    expect(check((i) => i.requiredBoolean(false, 'b')).value).toBe(false);
    expect(check((i) => i.oneOf('left', 's', ['left', 'right'])).value).toBe('left');
    expect(check((i) => i.oneOf('up', 's', ['left', 'right'])).rules).toEqual(['s:not-one-of']);
    expect(check((i) => i.items([], 'l')).rules).toEqual(['l:required']);
    expect(check((i) => i.items({}, 'l')).rules).toEqual(['l:must-be-list']);
    expect(check((i) => i.object([], 'o')).rules).toEqual(['o:must-be-object']);
  });

  it('checks clinical times and dates against the clock', () => {
    const now = new Date('2024-06-01T12:00:00Z');
    expect(check((i) => i.clinicalTime('2024-05-01', 'at', now, 5)).rules).toEqual([]);
    expect(check((i) => i.clinicalTime('01.05.2024', 'at', now, 5)).rules).toEqual(['at:invalid-clinical-time']);
    expect(check((i) => i.clinicalTime('2024-06-01T12:10:00Z', 'at', now, 5)).rules).toEqual(['at:in-the-future']);
    expect(check((i) => i.pastDate('2024-05-01', 'd', now, 5)).value).toBe('2024-05-01');
    expect(check((i) => i.pastDate('2024-05-01T10:00:00Z', 'd', now, 5)).rules).toEqual(['d:invalid-date']);
    expect(check((i) => i.pastDate('2024-07-01', 'd', now, 5)).rules).toEqual(['d:in-the-future']);
  });
});

describe('fieldsOf', () => {
  it('reads anything that is not an object as having no fields', () => {
    expect(fieldsOf(null)).toEqual({});
    expect(fieldsOf('x')).toEqual({});
    expect(fieldsOf([1])).toEqual({});
    expect(fieldsOf({ a: 1 })).toEqual({ a: 1 });
  });
});
