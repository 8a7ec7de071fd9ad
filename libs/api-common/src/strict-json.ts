import { childPath, textDefect } from './text-rules';

/** Keys that name Object.prototype members: refused like any unknown field, never silently dropped. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
]);

export interface JsonDefect {
  /** Where in the body: `nerves[1].side`, or `body` for the document itself. */
  field: string;
  rule: 'valid-json' | 'max-depth' | 'no-duplicate-keys' | 'unknown-field' | 'no-control-characters' | 'well-formed-unicode';
  message: string;
}

export type StrictJsonResult = { ok: true; value: unknown } | ({ ok: false } & JsonDefect);

interface Frame {
  container: Record<string, unknown> | unknown[];
  path: string;
  key?: string;
  keys?: Set<string>;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: Array<[string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/**
 * JSON.parse with the refusals a request body needs, in one pass and without recursion (so no depth
 * can exhaust the stack): duplicate keys, prototype-named keys, nesting beyond `maxDepth`, and text
 * that PostgreSQL or a reader would choke on (control characters, unpaired surrogates), each named by
 * its field path.
 */
export function parseStrictJson(text: string, maxDepth: number): StrictJsonResult {
  let i = 0;
  const stack: Frame[] = [];
  const fail = (field: string, rule: JsonDefect['rule'], message: string): StrictJsonResult => ({
    ok: false,
    field: field || 'body',
    rule,
    message,
  });
  const invalid = (what: string) => fail('body', 'valid-json', `the body is not valid JSON: ${what} at character ${i}`);
  const skipWhitespace = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };
  /** The string token starting at `i` (a quote), decoded; undefined when malformed. */
  const readString = (): string | undefined => {
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) j++;
      else if (c < 0x20) return undefined;
    }
    if (j >= text.length) return undefined;
    let decoded: string;
    try {
      decoded = JSON.parse(text.slice(i, j + 1)) as string;
    } catch {
      return undefined;
    }
    i = j + 1;
    return decoded;
  };
  const readKey = (frame: Frame): StrictJsonResult | undefined => {
    skipWhitespace();
    if (text[i] !== '"') return invalid('expected a property name');
    const key = readString();
    if (key === undefined) return invalid('malformed property name');
    const field = childPath(frame.path, key);
    const defect = textDefect(key);
    if (defect) return fail(field, defect.rule, `${field}: the property name ${defect.message}`);
    if (PROTOTYPE_KEYS.has(key)) return fail(field, 'unknown-field', `${field} is not a known field`);
    if (frame.keys!.has(key)) return fail(field, 'no-duplicate-keys', `${field} appears more than once`);
    skipWhitespace();
    if (text[i] !== ':') return invalid('expected ":"');
    i++;
    frame.keys!.add(key);
    frame.key = key;
    return undefined;
  };
  const nextPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return Array.isArray(top.container) ? `${top.path}[${top.container.length}]` : childPath(top.path, top.key!);
  };

  for (;;) {
    skipWhitespace();
    const path = nextPath();
    const c = text[i];
    let value: unknown;
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return fail(path, 'max-depth', `${path || 'the body'} nests deeper than ${maxDepth} levels`);
      i++;
      const frame: Frame = c === '{' ? { container: {}, path, keys: new Set() } : { container: [], path };
      skipWhitespace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        value = frame.container;
      } else {
        stack.push(frame);
        if (c === '{') {
          const refused = readKey(frame);
          if (refused) return refused;
        }
        continue;
      }
    } else if (c === '"') {
      const s = readString();
      if (s === undefined) return invalid('malformed string');
      const defect = textDefect(s);
      if (defect) return fail(path, defect.rule, `${path || 'body'} ${defect.message}`);
      value = s;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return invalid('malformed number');
      i += match[0].length;
      value = Number(match[0]);
    } else {
      const literal = LITERALS.find(([word]) => text.startsWith(word, i));
      if (!literal) return invalid(i >= text.length ? 'unexpected end' : 'unexpected character');
      i += literal[0].length;
      value = literal[1];
    }

    // A complete value: attach it, then close every container that ends here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        skipWhitespace();
        return i === text.length ? { ok: true, value } : invalid('unexpected text after the document');
      }
      if (Array.isArray(top.container)) top.container.push(value);
      else top.container[top.key!] = value;
      skipWhitespace();
      const separator = text[i];
      if (separator === ',') {
        i++;
        if (!Array.isArray(top.container)) {
          const refused = readKey(top);
          if (refused) return refused;
        }
        break;
      }
      if (separator !== (Array.isArray(top.container) ? ']' : '}')) return invalid('expected "," or the end of the container');
      i++;
      stack.pop();
      value = top.container;
    }
  }
}
