/**
 * Values kept per reporting date, each date's by key: today's always (it is what most reads ask for, and what
 * the warm-up folds), and those of the few other dates read last. A monitor reading a past date therefore
 * does not push out today's figures, nor today's warm-up the past date being read.
 */
export class KeptByDate<V> {
  /** By date, the date used last at the end. */
  private readonly byDate = new Map<string, Map<string, V>>();

  constructor(
    private readonly otherDates: number,
    private readonly today: () => string,
  ) {}

  /** The values kept for this date (an empty map for a date not kept), which the caller reads and fills. */
  at(date: string): Map<string, V> {
    const kept = this.byDate.get(date) ?? new Map<string, V>();
    this.byDate.delete(date);
    this.byDate.set(date, kept);
    const today = this.today();
    let others = [...this.byDate.keys()].filter((kept) => kept !== today).length;
    for (const oldest of this.byDate.keys()) {
      if (others <= this.otherDates) break;
      if (oldest === today || oldest === date) continue;
      this.byDate.delete(oldest);
      others -= 1;
    }
    return kept;
  }
}
