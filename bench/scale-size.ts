/** "1m", "250k" or a plain number of events. */
export function parseScale(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.trim());
  if (!match) throw new Error(`--scale takes a number of events such as 1m or 250k, got "${raw}"`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[match[2].toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(match[1]) * factor);
}
