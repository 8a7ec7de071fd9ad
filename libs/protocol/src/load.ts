import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { ProtocolProblem } from './protocol-file';
import { ProtocolValidation, validateProtocolFile } from './validate';

/** Parses protocol YAML text and validates it; a YAML syntax error is a problem of the file like any other. */
export const parseProtocolYaml = (text: string): ProtocolValidation => {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems: ProtocolProblem[] = document.errors.map((error) => ({
      field: '(file)',
      rule: 'yaml-syntax',
      message: `line ${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0]}`,
    }));
    return { ok: false, problems };
  }
  return validateProtocolFile(document.toJS());
};

/** Reads and validates a protocol file. */
export const loadProtocolFile = (path: string): ProtocolValidation & { text?: string } => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ field: '(file)', rule: 'readable', message: `cannot read ${path}: ${(error as Error).message}` }] };
  }
  return { ...parseProtocolYaml(text), text };
};

/** The protocol files shipped with the platform (./protocols), by the short name TRIAL_PROTOCOL takes. */
export { shippedProtocolFile as seedProtocolPath } from '@trialstream/config';
