/**
 * Catch-up readers only see transactions below the store's safe horizon (the oldest transaction still
 * open anywhere on the server). A reader told of a commit can therefore read nothing yet, because an
 * unrelated transaction is still open. Instead of sleeping a whole idle poll then, it looks again a few
 * times shortly after the notification.
 */
const REREAD_DELAYS_MS = [2, 5, 10, 20, 40] as const;

export class RereadSchedule {
  private next: number = REREAD_DELAYS_MS.length;

  /** New events were committed: the next empty reads retry soon. */
  notified(): void {
    this.next = 0;
  }

  /** How long to wait after a read that found nothing. */
  delayAfterEmptyRead(idlePollMs: number): number {
    return this.next < REREAD_DELAYS_MS.length ? REREAD_DELAYS_MS[this.next++] : idlePollMs;
  }
}
