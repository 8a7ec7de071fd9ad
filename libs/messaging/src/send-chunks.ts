import type { EncodedEvent } from './event-codec';

/** Approximate bytes a message adds to a record batch: key, value and headers (record overhead aside). */
export function encodedSize(message: EncodedEvent): number {
  let size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  const headers: Record<string, string> = message.headers;
  // Header names are ASCII: their length is their byte count.
  for (const name in headers) size += name.length + Buffer.byteLength(headers[name]);
  return size;
}

/**
 * Consecutive runs of messages, each within `maxBytes` (a message larger than that alone is a run of its own), so that
 * no partition's record batch in one produce request outgrows the broker's message.max.bytes (1 MiB by default).
 * Sent one after the other, the runs keep the order of the whole.
 */
export function chunksWithin<M extends EncodedEvent>(messages: M[], maxBytes: number): M[][] {
  const chunks: M[][] = [];
  let current: M[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const size = encodedSize(message);
    if (current.length > 0 && currentBytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
