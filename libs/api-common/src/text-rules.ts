/** `nerves[1].side` style paths, shared by the body parser and the validation errors. */
export function childPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

// Tab, line feed and carriage return are text; every other C0 control and DEL is not (PostgreSQL
// refuses NUL outright, and the others only hide content from a reader).
// eslint-disable-next-line no-control-regex -- finding control characters is this expression's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// With the u flag a paired surrogate is one code point, so this matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

export interface TextDefect {
  rule: 'no-control-characters' | 'well-formed-unicode';
  message: string;
}

/** Why a client's text cannot be stored as is, or null. */
export function textDefect(text: string): TextDefect | null {
  if (CONTROL.test(text)) return { rule: 'no-control-characters', message: 'contains a control character' };
  if (LONE_SURROGATE.test(text)) return { rule: 'well-formed-unicode', message: 'contains an unpaired UTF-16 surrogate' };
  return null;
}
