import { encodeEvent } from './event-codec';
import { chunksWithin, encodedSize } from './send-chunks';
import { anEnvelope } from '@trialstream/domain/testing';

describe('splitting a page of events into produce requests', () => {
  // Same-sized messages, so that the bounds below count messages.
  const messages = Array.from({ length: 10 }, () =>
    encodeEvent(anEnvelope({ streamVersion: 1, globalPosition: '100', transactionId: '200' })),
  );
  const size = encodedSize(messages[0]);

  it('sends a page that fits in one request as one request', () => {
    expect(chunksWithin(messages, size * 10)).toEqual([messages]);
  });

  it('keeps every message, in order, with no request above the bound', () => {
    const chunks = chunksWithin(messages, size * 3 + 1);

    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('sends a message larger than the bound on its own rather than dropping it', () => {
    expect(chunksWithin(messages.slice(0, 2), 1)).toEqual([[messages[0]], [messages[1]]]);
  });
});
