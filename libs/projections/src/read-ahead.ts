import type { Checkpoint, EventEnvelope } from '@trialstream/domain';
import type { StreamSource } from './runner';

/** The event store as a catch-up source: PostgresEventStore satisfies it. */
export interface CatchUpSource extends StreamSource {
  readAll(after: Checkpoint, limit: number): Promise<Page>;
}

/** Events in catch-up order and the checkpoint after the last of them. */
export interface Page {
  events: EventEnvelope[];
  checkpoint: Checkpoint;
}

/**
 * Events per read unless told otherwise (store feed and replay). Not larger: right after a bulk load, while the
 * events table's statistics still describe a smaller table, PostgreSQL reads a page of 5,000 by sorting every event
 * after the checkpoint instead of walking the catch-up index (measured: three times the database time of pages of
 * 1,000, which is what made the bench's rebuild figure swing).
 */
export const CATCH_UP_PAGE_SIZE = 1000;

/**
 * Pages held ahead of the reader's consumer, and so the most a batch joins. A batch's transaction costs the same
 * seven round trips whatever its size, and the rows it reads and writes are per patient, not per event: with four
 * pages a batch the registry caught up 100,000 events at 47,000-55,000/s, with one at 40,000-44,000/s (two cores).
 */
export const CATCH_UP_PAGES_PER_BATCH = 4;

export interface ReadAheadOptions {
  /** Events per read. */
  pageSize?: number;
  /** Pages read ahead of the batch being applied, and so the most pages one batch joins. */
  pagesPerBatch?: number;
  /** Told as each read starts (a feed numbers its reads by it). */
  onRead?: () => void;
}

/**
 * Reads the store page after page, ahead of whoever applies them, while the pages are full and fewer than
 * `pagesPerBatch` are held: the reads overlap the batches applied meanwhile, and a batch joins what was read.
 * A page that is not full means the store has nothing more right now; reading stops until the next `take`.
 */
export class PageReadAhead {
  private readonly pageSize: number;
  private readonly pagesPerBatch: number;
  private readonly pages: Page[] = [];
  private reading: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private atEnd = false;

  constructor(
    private readonly store: Pick<CatchUpSource, 'readAll'>,
    private after: Checkpoint,
    private readonly options: ReadAheadOptions = {},
  ) {
    this.pageSize = options.pageSize ?? CATCH_UP_PAGE_SIZE;
    this.pagesPerBatch = options.pagesPerBatch ?? CATCH_UP_PAGES_PER_BATCH;
    if (!Number.isInteger(this.pagesPerBatch) || this.pagesPerBatch < 1) throw new RangeError('pagesPerBatch must be a positive integer');
    this.readOn();
  }

  /**
   * Every page read so far, joined in order into one (at least one page), or an empty page when a read found
   * nothing more. A failed read is thrown once the pages read before it have been taken.
   */
  async take(): Promise<Page> {
    if (this.pages.length === 0 && !this.reading && !this.failure) {
      this.atEnd = false;
      this.readOn();
    }
    while (this.pages.length === 0) {
      if (this.failure) throw this.failure.error;
      if (!this.reading) return { events: [], checkpoint: this.after };
      await this.reading;
    }
    const taken = this.pages.splice(0, this.pages.length);
    this.readOn();
    const events = taken.length === 1 ? taken[0].events : taken.flatMap((page) => page.events);
    return { events, checkpoint: taken[taken.length - 1].checkpoint };
  }

  private readOn(): void {
    if (this.reading || this.failure || this.atEnd || this.pages.length >= this.pagesPerBatch) return;
    this.options.onRead?.();
    this.reading = this.store.readAll(this.after, this.pageSize).then(
      (page) => {
        this.reading = null;
        this.atEnd = page.events.length < this.pageSize;
        if (page.events.length > 0) {
          this.pages.push(page);
          this.after = page.checkpoint;
        }
        this.readOn();
      },
      (error: unknown) => {
        this.reading = null;
        this.failure = { error };
      },
    );
  }
}
