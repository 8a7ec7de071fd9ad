import { START_CHECKPOINT, type Checkpoint, type EventEnvelope } from '@trialstream/domain';
import { anEnvelope } from '@trialstream/domain/testing';
import { PageReadAhead, type Page } from './read-ahead';

/**
 * A store whose reads each wait for the test to answer them: which reads have started, from where, is what a
 * read-ahead decides, and the test lets them finish when it wants to.
 */
class HeldStore {
  readonly reads: Array<{ after: Checkpoint; answer: () => void; fail: (error: Error) => void }> = [];
  events: EventEnvelope[] = [];

  readAll = (after: Checkpoint, limit: number): Promise<Page> =>
    new Promise((resolve, reject) => {
      const answer = () => {
        const start = this.events.findIndex((event) => BigInt(event.globalPosition) > BigInt(after.globalPosition));
        const events = start < 0 ? [] : this.events.slice(start, start + limit);
        const last = events.at(-1);
        resolve({ events, checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after });
      };
      this.reads.push({ after, answer, fail: reject });
    });

  append(count: number): void {
    this.events.push(...Array.from({ length: count }, () => anEnvelope()));
  }

  /** Answers every read started so far, and those they start in turn, until none is waiting. */
  async answerAll(): Promise<void> {
    for (let answered = 0; answered < this.reads.length; answered++) {
      this.reads[answered].answer();
      await flush();
    }
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const positions = (page: Page) => page.events.map((event) => event.globalPosition);
const positionsOf = (events: EventEnvelope[]) => events.map((event) => event.globalPosition);

describe('reading the store ahead of the batches applied', () => {
  it('reads the next full pages while the caller applies a batch, and joins them into the next batch in order', async () => {
    const store = new HeldStore();
    store.append(10);
    const pages = new PageReadAhead(store, START_CHECKPOINT, { pageSize: 2, pagesPerBatch: 3 });

    store.reads[0].answer();
    const first = await pages.take();
    expect(positions(first)).toEqual(positionsOf(store.events.slice(0, 2)));

    // While the first batch is applied, the read-ahead goes on page after page, up to three pages held.
    await store.answerAll();
    expect(store.reads).toHaveLength(4);
    const second = await pages.take();
    expect(positions(second)).toEqual(positionsOf(store.events.slice(2, 8)));
    expect(second.checkpoint).toEqual({ transactionId: store.events[7].transactionId, globalPosition: store.events[7].globalPosition });
  });

  it('stops at a page that is not full, reads again at the next take, and answers an empty page when nothing came', async () => {
    const store = new HeldStore();
    store.append(3);
    const pages = new PageReadAhead(store, START_CHECKPOINT, { pageSize: 2, pagesPerBatch: 4 });
    await store.answerAll();
    expect(store.reads).toHaveLength(2);
    expect(positions(await pages.take())).toHaveLength(3);

    const nothing = pages.take();
    expect(store.reads).toHaveLength(3);
    store.reads[2].answer();
    const empty = await nothing;
    expect(empty.events).toEqual([]);
    expect(empty.checkpoint.globalPosition).toBe(store.events[2].globalPosition);

    store.append(1);
    const later = pages.take();
    store.reads[3].answer();
    expect(positions(await later)).toEqual([store.events[3].globalPosition]);
  });

  it('hands over the pages read before a failed read, then throws the failure', async () => {
    const store = new HeldStore();
    store.append(6);
    const pages = new PageReadAhead(store, START_CHECKPOINT, { pageSize: 2, pagesPerBatch: 4 });
    store.reads[0].answer();
    await flush();
    store.reads[1].fail(new Error('connection lost'));
    await flush();

    expect(positions(await pages.take())).toEqual(positionsOf(store.events.slice(0, 2)));
    await expect(pages.take()).rejects.toThrow('connection lost');
    expect(store.reads).toHaveLength(2);
  });

  it('holds no more than it was told to read ahead', async () => {
    const store = new HeldStore();
    store.append(20);
    const pages = new PageReadAhead(store, START_CHECKPOINT, { pageSize: 2, pagesPerBatch: 2 });
    await store.answerAll();
    expect(store.reads).toHaveLength(2);
    expect(positions(await pages.take())).toHaveLength(4);
  });
});
