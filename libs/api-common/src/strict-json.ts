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

/** A complete value (`ok`), a refusal, or undefined: a container opened and its first member comes next. */
type Step = StrictJsonResult | undefined;

/** One pass over the text with an explicit stack of open containers. */
class StrictJsonParser {
  private i = 0;
  private readonly stack: Frame[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parse(): StrictJsonResult {
    for (;;) {
      this.skipWhitespace();
      const read = this.readValue(this.nextPath());
      if (read === undefined) continue;
      if (!read.ok) return read;
      const done = this.attach(read.value);
      if (done) return done;
    }
  }

  private fail(field: string, rule: JsonDefect['rule'], message: string): StrictJsonResult {
    return { ok: false, field: field || 'body', rule, message };
  }

  private invalid(what: string): StrictJsonResult {
    return this.fail('body', 'valid-json', `the body is not valid JSON: ${what} at character ${this.i}`);
  }

  private skipWhitespace(): void {
    const { text } = this;
    for (let c = text.charCodeAt(this.i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++this.i));
  }

  /** The path of the value about to be read: the open container's next index or current key. */
  private nextPath(): string {
    const top = this.stack[this.stack.length - 1];
    if (!top) return '';
    return Array.isArray(top.container) ? `${top.path}[${top.container.length}]` : childPath(top.path, top.key!);
  }

  private readValue(path: string): Step {
    const c = this.text[this.i];
    if (c === '{' || c === '[') return this.open(path, c);
    if (c === '"') return this.readText(path);
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber();
    return this.readLiteral();
  }

  /** Opens an object or array; an empty one is a complete value at once. */
  private open(path: string, c: '{' | '['): Step {
    if (this.stack.length >= this.maxDepth) {
      return this.fail(path, 'max-depth', `${path || 'the body'} nests deeper than ${this.maxDepth} levels`);
    }
    this.i++;
    const frame: Frame = c === '{' ? { container: {}, path, keys: new Set() } : { container: [], path };
    this.skipWhitespace();
    if (this.text[this.i] === (c === '{' ? '}' : ']')) {
      this.i++;
      return { ok: true, value: frame.container };
    }
    this.stack.push(frame);
    return c === '{' ? this.readKey(frame) : undefined;
  }

  private readText(path: string): Step {
    const s = this.readString();
    if (s === undefined) return this.invalid('malformed string');
    const defect = textDefect(s);
    if (defect) return this.fail(path, defect.rule, `${path || 'body'} ${defect.message}`);
    return { ok: true, value: s };
  }

  private readNumber(): Step {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) return this.invalid('malformed number');
    this.i += match[0].length;
    return { ok: true, value: Number(match[0]) };
  }

  private readLiteral(): Step {
    const literal = LITERALS.find(([word]) => this.text.startsWith(word, this.i));
    if (!literal) return this.invalid(this.i >= this.text.length ? 'unexpected end' : 'unexpected character');
    this.i += literal[0].length;
    return { ok: true, value: literal[1] };
  }

  /** The string token starting at `i` (a quote), decoded; undefined when malformed. */
  private readString(): string | undefined {
    const { text } = this;
    let j = this.i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) j++;
      else if (c < 0x20) return undefined;
    }
    if (j >= text.length) return undefined;
    let decoded: string;
    try {
      decoded = JSON.parse(text.slice(this.i, j + 1)) as string;
    } catch {
      return undefined;
    }
    this.i = j + 1;
    return decoded;
  }

  /** Reads `"name":` of the object's next member; refuses a name that is unknown by design or repeated. */
  private readKey(frame: Frame): Step {
    this.skipWhitespace();
    if (this.text[this.i] !== '"') return this.invalid('expected a property name');
    const key = this.readString();
    if (key === undefined) return this.invalid('malformed property name');
    const field = childPath(frame.path, key);
    const defect = textDefect(key);
    if (defect) return this.fail(field, defect.rule, `${field}: the property name ${defect.message}`);
    if (PROTOTYPE_KEYS.has(key)) return this.fail(field, 'unknown-field', `${field} is not a known field`);
    if (frame.keys!.has(key)) return this.fail(field, 'no-duplicate-keys', `${field} appears more than once`);
    this.skipWhitespace();
    if (this.text[this.i] !== ':') return this.invalid('expected ":"');
    this.i++;
    frame.keys!.add(key);
    frame.key = key;
    return undefined;
  }

  /**
   * Attaches a complete value to its container, then closes every container that ends here. Returns the
   * document once the outermost value is complete, a refusal, or undefined when another member follows.
   */
  private attach(complete: unknown): Step {
    let value = complete;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        this.skipWhitespace();
        return this.i === this.text.length ? { ok: true, value } : this.invalid('unexpected text after the document');
      }
      if (Array.isArray(top.container)) top.container.push(value);
      else top.container[top.key!] = value;
      this.skipWhitespace();
      const separator = this.text[this.i];
      if (separator === ',') {
        this.i++;
        return Array.isArray(top.container) ? undefined : this.readKey(top);
      }
      if (separator !== (Array.isArray(top.container) ? ']' : '}')) return this.invalid('expected "," or the end of the container');
      this.i++;
      this.stack.pop();
      value = top.container;
    }
  }
}

/**
 * JSON.parse with the refusals a request body needs, in one pass and without recursion (so no depth
 * can exhaust the stack): duplicate keys, prototype-named keys, nesting beyond `maxDepth`, and text
 * that PostgreSQL or a reader would choke on (control characters, unpaired surrogates), each named by
 * its field path.
 */
export function parseStrictJson(text: string, maxDepth: number): StrictJsonResult {
  return new StrictJsonParser(text, maxDepth).parse();
}
