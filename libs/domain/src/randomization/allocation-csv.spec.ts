import { ALLOCATION_RULE, AllocationListImport, parseAllocationListCsv } from './allocation-csv';
import { generateAllocationList } from './allocation-list';

const HEADER = 'kitNumber,stratum,blockNumber,arm';
const csv = (...lines: string[]) => lines.join('\n');
const balancedBlock = (stratum: string, block: number, kits: [string, string, string, string]) => [
  `${kits[0]},${stratum},${block},rituximab`,
  `${kits[1]},${stratum},${block},placebo`,
  `${kits[2]},${stratum},${block},placebo`,
  `${kits[3]},${stratum},${block},rituximab`,
];

const errorsOf = (result: AllocationListImport) => (result.ok ? [] : result.errors);
const kitsOf = (result: AllocationListImport) => {
  if (!result.ok) throw new Error(`expected a valid list, got ${JSON.stringify(result.errors)}`);
  return result.kits;
};

describe('parseAllocationListCsv', () => {
  it('reads a valid list in file order, without warnings', () => {
    const result = parseAllocationListCsv(csv(HEADER, ...balancedBlock('ZH01', 1, ['101', '102', '103', '104'])));
    expect(kitsOf(result)).toEqual([
      { kitNumber: '101', stratum: 'ZH01', blockNumber: 1, arm: 'rituximab' },
      { kitNumber: '102', stratum: 'ZH01', blockNumber: 1, arm: 'placebo' },
      { kitNumber: '103', stratum: 'ZH01', blockNumber: 1, arm: 'placebo' },
      { kitNumber: '104', stratum: 'ZH01', blockNumber: 1, arm: 'rituximab' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('accepts columns in any order, spelled in snake case or with spaces, CRLF line ends, a BOM and blank lines', () => {
    const text = '\uFEFFArm,Kit Number,block_number,STRATUM\r\nPlacebo,K-1,1,site ZH01\r\n\r\nRITUXIMAB,K-2,1,site ZH01\r\n';
    expect(kitsOf(parseAllocationListCsv(text))).toEqual([
      { kitNumber: 'K-1', stratum: 'site ZH01', blockNumber: 1, arm: 'placebo' },
      { kitNumber: 'K-2', stratum: 'site ZH01', blockNumber: 1, arm: 'rituximab' },
    ]);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    const text = csv(HEADER, '101,"Zürich, ""USZ""",1,rituximab', '102,"Zürich, ""USZ""",1,placebo');
    expect(kitsOf(parseAllocationListCsv(text)).map((kit) => kit.stratum)).toEqual(['Zürich, "USZ"', 'Zürich, "USZ"']);
  });

  it('reads back a generated list', () => {
    const generated = generateAllocationList({ seed: 7, strata: ['ZH01', 'BE02'], blockSizes: [4, 6], kitsPerStratum: 12 });
    const text = csv(HEADER, ...generated.map((kit) => `${kit.kitNumber},${kit.stratum},${kit.blockNumber},${kit.arm}`));
    const result = parseAllocationListCsv(text);
    expect(kitsOf(result)).toEqual(generated);
    expect(result.warnings).toEqual([]);
  });

  it('refuses a kit number that appears twice, naming both lines', () => {
    const errors = errorsOf(parseAllocationListCsv(csv(HEADER, '101,ZH01,1,rituximab', '101,ZH01,1,placebo')));
    expect(errors).toEqual([
      { line: 3, field: 'kitNumber', rule: ALLOCATION_RULE.duplicateKitNumber, message: 'kit number 101 already appears on line 2' },
    ]);
  });

  it('refuses an arm the trial does not have, and accepts it once the trial declares it', () => {
    const text = csv(HEADER, '101,ZH01,1,low dose', '102,ZH01,1,placebo');
    expect(errorsOf(parseAllocationListCsv(text))).toEqual([expect.objectContaining({ line: 2, field: 'arm', rule: 'not-one-of' })]);
    expect(kitsOf(parseAllocationListCsv(text, { arms: ['low dose', 'placebo'] }))).toHaveLength(2);
  });

  it.each([
    ['an empty kit number', ',ZH01,1,placebo', 'kitNumber', 'required'],
    ['a kit number with a space', 'K 1,ZH01,1,placebo', 'kitNumber', 'invalid-identifier'],
    ['an empty stratum', '101,,1,placebo', 'stratum', 'required'],
    ['a block number of zero', '101,ZH01,0,placebo', 'blockNumber', 'must-be-integer'],
    ['a fractional block number', '101,ZH01,1.5,placebo', 'blockNumber', 'must-be-integer'],
    ['a missing block number', '101,ZH01,,placebo', 'blockNumber', 'must-be-integer'],
    ['a missing field', '101,ZH01,1', 'row', ALLOCATION_RULE.wrongColumnCount],
  ])('refuses %s, naming the line and field', (_, row, field, rule) => {
    expect(errorsOf(parseAllocationListCsv(csv(HEADER, '100,ZH01,1,rituximab', row)))).toEqual([
      expect.objectContaining({ line: 3, field, rule }),
    ]);
  });

  it('reports every bad row at once, not only the first', () => {
    const errors = errorsOf(parseAllocationListCsv(csv(HEADER, '101,ZH01,x,placebo', '102,ZH01,1,verum', '103,,1,placebo')));
    expect(errors.map((error) => [error.line, error.field])).toEqual([
      [2, 'blockNumber'],
      [3, 'arm'],
      [4, 'stratum'],
    ]);
  });

  it('names each missing column', () => {
    const errors = errorsOf(parseAllocationListCsv(csv('kitNumber,arm', '101,placebo')));
    expect(errors.map((error) => [error.field, error.rule])).toEqual([
      ['stratum', ALLOCATION_RULE.missingColumn],
      ['blockNumber', ALLOCATION_RULE.missingColumn],
    ]);
  });

  it('refuses an empty file, a header without kits, and an unclosed quote', () => {
    expect(errorsOf(parseAllocationListCsv(''))[0].rule).toBe(ALLOCATION_RULE.emptyList);
    expect(errorsOf(parseAllocationListCsv(HEADER))[0].rule).toBe(ALLOCATION_RULE.emptyList);
    expect(errorsOf(parseAllocationListCsv(csv(HEADER, '101,"ZH01,1,placebo')))).toEqual([
      expect.objectContaining({ line: 2, rule: ALLOCATION_RULE.unterminatedQuote }),
    ]);
  });

  it('warns, without refusing, about a block whose arms are unequal', () => {
    const result = parseAllocationListCsv(
      csv(
        HEADER,
        ...balancedBlock('ZH01', 1, ['101', '102', '103', '104']),
        '105,ZH01,2,rituximab',
        '106,ZH01,2,rituximab',
        '107,ZH01,2,placebo',
      ),
    );
    expect(kitsOf(result)).toHaveLength(7);
    expect(result.warnings).toEqual([
      {
        field: 'blockNumber',
        rule: ALLOCATION_RULE.unbalancedBlock,
        message: 'block 2 of stratum ZH01 is unbalanced: 2 rituximab, 1 placebo',
      },
    ]);
  });

  it('counts an arm missing from a block as zero', () => {
    const result = parseAllocationListCsv(csv(HEADER, '101,ZH01,1,placebo', '102,ZH01,1,placebo'));
    expect(result.warnings.map((warning) => warning.message)).toEqual(['block 1 of stratum ZH01 is unbalanced: 0 rituximab, 2 placebo']);
  });

  it('tells blocks of different strata apart even when their numbers are equal', () => {
    const result = parseAllocationListCsv(csv(HEADER, '101,ZH01,1,placebo', '102,BE02,1,rituximab'));
    expect(result.warnings).toHaveLength(2);
  });
});
