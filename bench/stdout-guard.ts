import { writeFile } from 'node:fs/promises';

/**
 * `npm run bench` promises exactly one JSON document on stdout. Libraries and Nest loggers write to stdout
 * too, so from the moment this module is loaded everything written there goes to stderr instead, and only
 * `printResult` reaches the real stdout. Import it before anything else.
 */
const realStdoutWrite = process.stdout.write.bind(process.stdout);

process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

/** Prints the document on the real stdout and, when asked, writes it to `file` too. */
export async function printResult(document: unknown, file: string | null): Promise<void> {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (file) await writeFile(file, text);
  await new Promise<void>((resolve, reject) => realStdoutWrite(text, (error) => (error ? reject(error) : resolve())));
}
