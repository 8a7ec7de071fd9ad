import { progress } from './progress';

/**
 * Apps, databases and topics this run made, to remove if the run is interrupted (Ctrl-C, a CI timeout) before the
 * phase that made them could clean up after itself. Released last-made first: an app leaves its consumer group
 * before the group is deleted.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `release` for an interruption; the returned function unregisters it once released normally. */
export function releaseOnInterrupt(release: () => Promise<void>): () => void {
  pending.add(release);
  return () => pending.delete(release);
}

/**
 * The running Nest app reacts to the same signals (shutdown hooks): it closes itself and sends the signal again.
 * This listener stays registered, so that repeat does not end the process before the cleanup has finished.
 */
export function cleanUpWhenInterrupted(): void {
  let cleaning = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (cleaning) return;
      cleaning = true;
      progress(`${signal}: removing this run's databases and topics`);
      void releaseAll().finally(() => process.exit(130));
    });
  }
}

async function releaseAll(): Promise<void> {
  for (const release of [...pending].reverse()) {
    await release().catch((error: Error) => progress(`cleanup: ${error.message}`));
  }
}
