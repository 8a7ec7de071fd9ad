/** A sleep another caller can cut short; a wake-up that arrives while nobody sleeps ends the next sleep at once. */
export class WakeableSleep {
  private wakeSleeper: (() => void) | null = null;
  private wokenEarly = false;

  sleep(ms: number): Promise<void> {
    if (this.wokenEarly) {
      this.wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else this.wokenEarly = true;
  }
}
