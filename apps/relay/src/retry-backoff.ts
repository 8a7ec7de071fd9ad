export interface RetryBackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Exponential waits between attempts: quick after a blip, at most `maxMs` while a broker stays down. */
export class RetryBackoff {
  private readonly options: RetryBackoffOptions;

  constructor(options: Partial<RetryBackoffOptions> = {}) {
    this.options = { initialMs: 200, maxMs: 10_000, ...options };
  }

  /** The wait after the `attempt`-th consecutive failure (1-based). */
  delayAfter(attempt: number): number {
    return Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  }
}
