import type { Response } from 'express';

/**
 * Writes the lines as they come, waiting whenever the client reads slower than the log is read, and
 * stops early if the client goes away. A failure after the first line can only cut the response short.
 */
export async function writeLines(response: Response, lines: AsyncIterable<string>): Promise<void> {
  for await (const line of lines) {
    if (response.destroyed) return;
    if (!response.write(line)) await drainedOrClosed(response);
  }
  response.end();
}

function drainedOrClosed(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
