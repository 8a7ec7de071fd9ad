import { authHeaders } from './auth';

type Listener = (readModel: string) => void;
const listeners = new Set<Listener>();
let controller: AbortController | null = null;

/**
 * The server's read-model change notices (GET /events/stream, server-sent events with no data but the
 * read model's name). Read with fetch rather than EventSource, so the request carries the same
 * credentials as every other call. One connection serves every page; it reconnects after a break.
 */
async function connect(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await fetch('/events/stream', { headers: { Accept: 'text/event-stream', ...authHeaders('GET') }, signal });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data:'));
          if (!data) continue;
          const { readModel } = JSON.parse(data.slice(5)) as { readModel: string };
          listeners.forEach((listener) => listener(readModel));
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

export function onReadModelChange(listener: Listener): () => void {
  listeners.add(listener);
  if (!controller) {
    controller = new AbortController();
    void connect(controller.signal);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      controller?.abort();
      controller = null;
    }
  };
}
