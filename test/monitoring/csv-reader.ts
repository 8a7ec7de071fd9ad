/** A minimal RFC 4180 reader for the exports: quoted fields may hold commas, doubled quotes and line breaks. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') record.push(field), (field = '');
    else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), i++;
    } else field += char;
  }
  return records;
}

/** The rows of an export keyed by its header. */
export const csvRows = (text: string): Array<Record<string, string>> => {
  const [header, ...rows] = csvRecords(text);
  return rows.map((row) => Object.fromEntries(header.map((column, index) => [column, row[index]])));
};
