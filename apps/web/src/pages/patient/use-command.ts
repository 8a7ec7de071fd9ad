import { useState } from 'react';
import { post, submissionId } from '../../api/client';

/** Sends a command with a fresh submission id, then `onDone`; a refusal is kept to be shown beside what sent it. */
export function useCommand(onDone: () => void) {
  const [error, setError] = useState<unknown>(null);
  const send = (path: string, body: object = {}) => void post(path, { submissionId: submissionId(), ...body }).then(onDone, setError);
  return { error, send };
}
