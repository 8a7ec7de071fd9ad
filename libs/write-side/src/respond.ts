import type { Response } from 'express';
import type { WriteResult } from './stream-writer';

/** A retried submission gets the first answer again, marked so a client can tell. */
export function respond(result: WriteResult, response: Response): unknown {
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return result.response;
}
