import { ReactNode } from 'react';

export interface TableProps<T> {
  columns: string[];
  rows: readonly T[];
  /** The cells of one row, in the order of `columns`. */
  cells: (row: T, index: number) => ReactNode[];
  rowKey: (row: T, index: number) => string | number;
  caption?: ReactNode;
  testId?: string;
  rowProps?: (row: T) => Record<string, string | undefined>;
}

/** A plain data table: header cells scoped to their columns, one row per item. */
export function Table<T>({ columns, rows, cells, rowKey, caption, testId, rowProps }: TableProps<T>) {
  return (
    <table data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} {...rowProps?.(row)}>
            {cells(row, index).map((cell, column) => (
              <td key={column}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
