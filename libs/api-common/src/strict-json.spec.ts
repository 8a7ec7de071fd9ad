import fc from 'fast-check';
import { parseStrictJson } from './strict-json';

const refusal = (text: string) => {
  const result = parseStrictJson(text, 32);
  return result.ok ? null : { field: result.field, rule: result.rule };
};

describe('parseStrictJson', () => {
  it('reads what JSON.parse reads, for any JSON value without duplicate or prototype keys', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const parsed = JSON.parse(text);
        fc.pre(!/"(__proto__|constructor|prototype|toString|valueOf|hasOwnProperty)"\s*:/.test(text));
        // JSON.stringify escapes control characters and lone surrogates: those are refused on purpose.
        fc.pre(!/\\u00(0[0-8bcef]|1[0-9a-f])|\\ud[89a-f][0-9a-f]{2}|\u007f/i.test(text));
        const result = parseStrictJson(text, 32);
        expect(result).toEqual({ ok: true, value: parsed });
      }),
      { seed: 20261129, numRuns: 500 },
    );
  });

  it('refuses whatever JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        fc.pre(!valid);
        expect(parseStrictJson(text, 32).ok).toBe(false);
      }),
      { seed: 20261129, numRuns: 2000 },
    );
  });

  it('refuses a duplicate key, naming it, even when spelled with an escape', () => {
    expect(refusal('{"a":1,"b":{"c":1,"\\u0063":2}}')).toEqual({ field: 'b.c', rule: 'no-duplicate-keys' });
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'])(
    'refuses the prototype-named key %s as an unknown field',
    (key) => {
      expect(refusal(`{"nerves":[{"${key}":{"x":1}}]}`)).toEqual({ field: `nerves[0].${key}`, rule: 'unknown-field' });
    },
  );

  it('refuses nesting beyond the limit without exhausting the stack, at 10,000 levels too', () => {
    expect(refusal(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toEqual({ field: '[0]'.repeat(32), rule: 'max-depth' });
    expect(refusal(`{"a":${'{"b":'.repeat(10_000)}1${'}'.repeat(10_001)}`)).toEqual({ field: `a${'.b'.repeat(31)}`, rule: 'max-depth' });
    expect(parseStrictJson(`${'['.repeat(32)}${']'.repeat(32)}`, 32).ok).toBe(true);
    expect(parseStrictJson(`${'['.repeat(33)}${']'.repeat(33)}`, 32).ok).toBe(false);
  });

  it('refuses NUL and other control characters in values and keys, naming the field', () => {
    expect(refusal('{"reason":"a\\u0000b"}')).toEqual({ field: 'reason', rule: 'no-control-characters' });
    expect(refusal('{"x":["ok","\\u001b[31m"]}')).toEqual({ field: 'x[1]', rule: 'no-control-characters' });
    expect(refusal('{"a\\u0000":1}')).toEqual({ field: 'a\u0000', rule: 'no-control-characters' });
    expect(parseStrictJson('{"reason":"line one\\nline two\\ttab"}', 32).ok).toBe(true);
  });

  it('refuses an unpaired surrogate but keeps a paired one', () => {
    expect(refusal('{"term":"a\\ud800b"}')).toEqual({ field: 'term', rule: 'well-formed-unicode' });
    expect(refusal('{"term":"\\udc00"}')).toEqual({ field: 'term', rule: 'well-formed-unicode' });
    expect(parseStrictJson('{"term":"\\ud83d\\ude00 ok"}', 32)).toEqual({ ok: true, value: { term: '😀 ok' } });
  });
});
