import { stringify } from 'csv-stringify/sync';
import { decimalString } from '../decimal';
import { SdtmDataset } from './datasets';

/**
 * A dataset as RFC 4180 CSV: a header of the variable names, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break (quotes doubled), null as an empty field, numbers in plain decimals.
 */
export const toCsv = (dataset: SdtmDataset): string =>
  stringify(dataset.rows, {
    header: true,
    columns: dataset.columns,
    record_delimiter: 'windows',
    // csv-stringify quotes only the record delimiter itself; a lone LF or CR would split the row for most readers
    quoted_match: /[\r\n]/,
    cast: { number: decimalString },
  });
