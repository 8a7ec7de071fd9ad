import { parse } from 'csv-parse/sync';
import { RULE } from '../rules';
import { AllocationKit, DEFAULT_ARMS } from './allocation-list';

/**
 * Allocation lists prepared elsewhere (by an independent statistician) arrive as CSV with the
 * columns kitNumber, stratum, blockNumber and arm, in any order; header names ignore case, spaces,
 * dashes and underscores (`kit_number`, `Kit Number`). The list's order is kept: it is the order
 * kits are dispensed in.
 */

/** Rule codes of an import, beside the domain's shared ones. */
export const ALLOCATION_RULE = {
  missingColumn: 'missing-column',
  wrongColumnCount: 'wrong-column-count',
  unterminatedQuote: 'unterminated-quote',
  emptyList: 'empty-list',
  duplicateKitNumber: 'duplicate-kit-number',
  unbalancedBlock: 'unbalanced-block',
} as const;

export interface AllocationIssue {
  /** 1-based line of the file; absent for an issue of the whole list. */
  line?: number;
  field: string;
  rule: string;
  message: string;
}

export type AllocationListImport =
  { ok: true; kits: AllocationKit[]; warnings: AllocationIssue[] } | { ok: false; errors: AllocationIssue[]; warnings: AllocationIssue[] };

const COLUMNS = ['kitNumber', 'stratum', 'blockNumber', 'arm'] as const;
type Column = (typeof COLUMNS)[number];

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const normalizeHeader = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 through csv-parse: commas, quoted fields with doubled quotes, CRLF or LF; blank lines are skipped. */
const parseCsvRecords = (text: string): { records: CsvRecord[]; unterminatedAt?: number } => {
  try {
    const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    // `info.lines` is the last line a record reached; a record that spans lines starts earlier.
    return {
      records: rows.map(({ record, info }) => {
        const firstLine = info.lines - (record.join(',').match(/\n/g)?.length ?? 0);
        return { line: Math.max(firstLine, 1), fields: record };
      }),
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') {
      return { records: [], unterminatedAt: (error as { lines?: number }).lines ?? 1 };
    }
    throw error;
  }
};

const issue = (line: number | undefined, field: string, rule: string, message: string): AllocationIssue =>
  line === undefined ? { field, rule, message } : { line, field, rule, message };

/**
 * Warns about every block whose arms are not in equal numbers. A warning, not an error: the list
 * is the statistician's, and an unequal last block of a stratum may be a deliberately cut block.
 */
const unbalancedBlockWarnings = (kits: readonly AllocationKit[], arms: readonly string[]): AllocationIssue[] => {
  const counts = new Map<string, Map<string, number>>();
  for (const kit of kits) {
    const key = JSON.stringify([kit.stratum, kit.blockNumber]);
    const perArm = counts.get(key) ?? new Map(arms.map((arm) => [arm, 0]));
    perArm.set(kit.arm, (perArm.get(kit.arm) ?? 0) + 1);
    counts.set(key, perArm);
  }
  const warnings: AllocationIssue[] = [];
  for (const [key, perArm] of counts) {
    if (new Set(perArm.values()).size === 1) continue;
    const [stratum, blockNumber] = JSON.parse(key) as [string, number];
    const tally = [...perArm].map(([arm, n]) => `${n} ${arm}`).join(', ');
    const message = `block ${blockNumber} of stratum ${stratum} is unbalanced: ${tally}`;
    warnings.push(issue(undefined, 'blockNumber', ALLOCATION_RULE.unbalancedBlock, message));
  }
  return warnings;
};

/** Reads one row into a kit, or says what is wrong with it; `seenOnLine` holds the line of each kit number read so far. */
const readKit = (
  line: number,
  value: (column: Column) => string,
  armByLowerCase: ReadonlyMap<string, string>,
  seenOnLine: ReadonlyMap<string, number>,
): { kit?: AllocationKit; errors: AllocationIssue[] } => {
  const errors: AllocationIssue[] = [];
  const fail = (field: Column, rule: string, message: string) => errors.push(issue(line, field, rule, message));

  const kitNumber = value('kitNumber');
  if (kitNumber === '') fail('kitNumber', RULE.required, 'kitNumber is required');
  else if (!IDENTIFIER.test(kitNumber) || kitNumber.length > 64) {
    fail('kitNumber', RULE.invalidIdentifier, `kit number ${kitNumber} may contain only letters, digits, '.', '_' and '-'`);
  } else if (seenOnLine.has(kitNumber)) {
    fail('kitNumber', ALLOCATION_RULE.duplicateKitNumber, `kit number ${kitNumber} already appears on line ${seenOnLine.get(kitNumber)}`);
  }

  const stratum = value('stratum');
  if (stratum === '') fail('stratum', RULE.required, 'stratum is required');

  const blockText = value('blockNumber');
  const blockNumber = Number(blockText);
  if (!/^\d+$/.test(blockText) || blockNumber < 1) {
    fail('blockNumber', RULE.mustBeInteger, `block number must be a positive integer, got '${blockText}'`);
  }

  // the arm read is not echoed: an error message may travel further than the list itself
  const arm = armByLowerCase.get(value('arm').toLowerCase());
  if (arm === undefined) fail('arm', RULE.notOneOf, `arm must be one of ${[...armByLowerCase.values()].join(', ')}`);

  return errors.length > 0 || arm === undefined ? { errors } : { kit: { kitNumber, stratum, blockNumber, arm }, errors };
};

/** Parses and validates an imported allocation list; arms are matched ignoring case and stored in the given spelling. */
export const parseAllocationListCsv = (text: string, options: { arms?: readonly string[] } = {}): AllocationListImport => {
  const arms = options.arms ?? DEFAULT_ARMS;
  const refuse = (...errors: AllocationIssue[]): AllocationListImport => ({ ok: false, errors, warnings: [] });

  const { records, unterminatedAt } = parseCsvRecords(text);
  if (unterminatedAt !== undefined) {
    return refuse(issue(unterminatedAt, 'file', ALLOCATION_RULE.unterminatedQuote, 'a quoted field is never closed'));
  }
  const [header, ...rows] = records;
  if (!header) return refuse(issue(undefined, 'file', ALLOCATION_RULE.emptyList, 'the file is empty'));

  const positions = new Map(header.fields.map((name, index) => [normalizeHeader(name), index]));
  const missing = COLUMNS.filter((column) => !positions.has(column.toLowerCase()));
  if (missing.length > 0) {
    return refuse(...missing.map((column) => issue(header.line, column, ALLOCATION_RULE.missingColumn, `the column ${column} is missing`)));
  }
  if (rows.length === 0) return refuse(issue(undefined, 'file', ALLOCATION_RULE.emptyList, 'the list has no kits'));

  const armByLowerCase = new Map(arms.map((arm) => [arm.toLowerCase(), arm]));
  const seenOnLine = new Map<string, number>();
  const errors: AllocationIssue[] = [];
  const kits: AllocationKit[] = [];
  for (const { line, fields } of rows) {
    if (fields.length !== header.fields.length) {
      const message = `expected ${header.fields.length} fields, found ${fields.length}`;
      errors.push(issue(line, 'row', ALLOCATION_RULE.wrongColumnCount, message));
      continue;
    }
    const value = (column: Column) => fields[positions.get(column.toLowerCase()) as number].trim();
    const read = readKit(line, value, armByLowerCase, seenOnLine);
    errors.push(...read.errors);
    if (read.kit) kits.push(read.kit);
    const kitNumber = value('kitNumber');
    if (kitNumber !== '' && !seenOnLine.has(kitNumber)) seenOnLine.set(kitNumber, line);
  }

  const warnings = unbalancedBlockWarnings(kits, arms);
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, kits, warnings };
};
