interface Waiting<TValue> {
  resolve(value: TValue | undefined): void;
  reject(error: unknown): void;
}

/**
 * Lookups by key that go to the database together: the keys asked for while one read is running are read
 * in the next one, one statement for all of them instead of one per lookup. Every lookup is answered by a
 * read sent after it was asked for, never by one already under way, so a lookup sees every change committed
 * before it was made (a revoked API key is refused from the next request on, as with a read of its own).
 */
export class CoalescedReads<TValue> {
  private waiting = new Map<string, Array<Waiting<TValue>>>();
  private reading = false;

  /** `read` answers the values of the keys it finds, by key; a failed read fails every lookup it carried. */
  constructor(private readonly read: (keys: string[]) => Promise<Map<string, TValue>>) {}

  get(key: string): Promise<TValue | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.reading) {
        this.reading = true;
        // Lookups of the requests that arrived in the same turn of the event loop join the first read.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        try {
          const found = await this.read([...batch.keys()]);
          for (const [key, waiting] of batch) for (const lookup of waiting) lookup.resolve(found.get(key));
        } catch (error) {
          for (const waiting of batch.values()) for (const lookup of waiting) lookup.reject(error);
        }
      }
    } finally {
      this.reading = false;
    }
  }
}
