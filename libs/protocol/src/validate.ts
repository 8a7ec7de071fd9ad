import Ajv, { type ErrorObject } from 'ajv';
import type { ProtocolDefinition } from '@trialstream/domain';
import type { ProtocolFile, ProtocolProblem } from './protocol-file';
import { protocolFileProblems, toProtocolDefinition } from './protocol-rules';
import { PROTOCOL_FILE_SCHEMA } from './schema';

const ajv = new Ajv({ allErrors: true, strict: true });
const validateShape = ajv.compile<ProtocolFile>(PROTOCOL_FILE_SCHEMA);

/** `/visits/3/window/before` -> `visits[3].window.before`; keys that are not identifiers are quoted. */
export const fieldOfPointer = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, part) =>
        /^\d+$/.test(part)
          ? `${path}[${part}]`
          : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)
            ? path
              ? `${path}.${part}`
              : part
            : `${path}["${part}"]`,
      '',
    );

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

const problemOf = (error: ErrorObject): ProtocolProblem => {
  const at = fieldOfPointer(error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const field = join(at, String(error.params.missingProperty));
      return { field, rule: 'required', message: 'is required' };
    }
    case 'additionalProperties': {
      const field = join(at, String(error.params.additionalProperty));
      return { field, rule: 'unknown-field', message: 'is not a field of a protocol file' };
    }
    case 'enum': {
      const field = at || '(file)';
      return { field, rule: 'not-one-of', message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
    }
    default: {
      const field = at || '(file)';
      return { field, rule: error.keyword, message: error.message ?? error.keyword };
    }
  }
};

export type ProtocolValidation =
  { ok: true; definition: ProtocolDefinition; file: ProtocolFile } | { ok: false; problems: ProtocolProblem[] };

/** Validates a parsed protocol file (shape by the JSON Schema, then the rules between its parts) and builds its definition. */
export const validateProtocolFile = (parsed: unknown): ProtocolValidation => {
  if (!validateShape(parsed)) {
    const seen = new Set<string>();
    const problems = (validateShape.errors ?? []).map(problemOf).filter((p) => {
      const key = `${p.field} ${p.rule}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
    return { ok: false, problems };
  }
  const problems = protocolFileProblems(parsed);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, definition: toProtocolDefinition(parsed), file: parsed };
};
