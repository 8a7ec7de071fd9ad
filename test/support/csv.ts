import { parse } from 'csv-parse/sync';

/** The records of an export, header included. */
export const csvRecords = (text: string): string[][] => parse(text) as string[][];

/** The rows of an export keyed by its header. */
export const csvRows = (text: string): Array<Record<string, string>> => parse(text, { columns: true }) as Array<Record<string, string>>;
