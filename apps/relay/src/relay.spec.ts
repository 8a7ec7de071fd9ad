import { Logger } from '@nestjs/common';
import { START_CHECKPOINT, type Checkpoint, type EventEnvelope } from '@trialstream/domain';
import { anEnvelope } from '@trialstream/domain/testing';
import { Relay, type EventLog, type EventSink, type RelayCheckpointStore, type RelayOptions } from './relay';
import type { RelayLeadership } from './relay-leadership';
import { RetryBackoff } from './retry-backoff';

const isAfter = (event: EventEnvelope, checkpoint: Checkpoint) => {
  const [tx, at] = [BigInt(checkpoint.transactionId), BigInt(checkpoint.globalPosition)];
  const eventTx = BigInt(event.transactionId);
  return eventTx > tx || (eventTx === tx && BigInt(event.globalPosition) > at);
};

/** The store's catch-up read over an array the test appends to. */
class InMemoryLog implements EventLog {
  readonly events: EventEnvelope[] = [];

  append(count: number): EventEnvelope[] {
    const appended = Array.from({ length: count }, () => anEnvelope());
    this.events.push(...appended);
    return appended;
  }

  async readAll(after: Checkpoint, limit: number) {
    const events = this.events.filter((event) => isAfter(event, after)).slice(0, limit);
    const last = events[events.length - 1];
    return { events, checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after };
  }
}

/** Every publish and checkpoint write in the order they happened; the first `failures` calls of each kind fail. */
class Recorder implements EventSink, RelayCheckpointStore {
  readonly operations: string[] = [];
  readonly published: EventEnvelope[] = [];
  publishAttempts = 0;
  stored: Checkpoint = START_CHECKPOINT;

  constructor(private failures: { publish?: number; save?: number } = {}) {}

  async publish(events: EventEnvelope[]): Promise<void> {
    this.publishAttempts += 1;
    if ((this.failures.publish ?? 0) > 0) {
      this.failures.publish! -= 1;
      throw new Error('broker unavailable');
    }
    this.operations.push(`publish ${events.map((event) => event.globalPosition).join(',')}`);
    this.published.push(...events);
  }

  async load(): Promise<Checkpoint> {
    return this.stored;
  }

  async save(_name: string, checkpoint: Checkpoint): Promise<void> {
    if ((this.failures.save ?? 0) > 0) {
      this.failures.save! -= 1;
      throw new Error('database unavailable');
    }
    this.operations.push(`checkpoint ${checkpoint.globalPosition}`);
    this.stored = checkpoint;
  }
}

async function eventually(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const positions = (events: EventEnvelope[]) => events.map((event) => event.globalPosition);

describe('Relay', () => {
  let log: InMemoryLog;
  let relay: Relay | undefined;
  let errorLog: jest.SpyInstance;
  let infoLog: jest.SpyInstance;
  beforeEach(() => {
    log = new InMemoryLog();
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    infoLog = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await relay?.stop();
    jest.restoreAllMocks();
  });

  function startRelay(recorder: Recorder, options: Partial<RelayOptions> = {}, leadership?: RelayLeadership): Relay {
    relay = new Relay(
      { log, checkpoints: recorder, sink: recorder, leadership },
      { name: 'trial-events', pageSize: 2, idlePollMs: 10, retry: { initialMs: 5, maxMs: 20 }, ...options },
    );
    relay.start();
    return relay;
  }

  it('publishes the log page by page in store order, storing each checkpoint only after its page was published', async () => {
    const events = log.append(5);
    const recorder = new Recorder();

    await startRelay(recorder).caughtUp();

    const [a, b, c, d, e] = positions(events);
    expect(recorder.operations).toEqual([
      `publish ${a},${b}`,
      `checkpoint ${b}`,
      `publish ${c},${d}`,
      `checkpoint ${d}`,
      `publish ${e}`,
      `checkpoint ${e}`,
    ]);
    expect(relay!.metrics).toMatchObject({ eventsPublished: 5, pagesPublished: 3, lastPublished: recorder.stored, consecutiveFailures: 0 });
  });

  it('publishes the next page while the last checkpoint is stored, storing each only after its page and the one before', async () => {
    const [a, b, c, d, e] = positions(log.append(5));
    const recorder = new Recorder();
    const store = recorder.save.bind(recorder);
    const saving: Array<() => void> = [];
    recorder.save = (name, checkpoint) => {
      recorder.operations.push(`storing ${checkpoint.globalPosition}`);
      return new Promise<void>((resolve) => saving.push(resolve)).then(() => store(name, checkpoint));
    };
    const running = startRelay(recorder);
    let caughtUp = false;
    const catchingUp = running.caughtUp().then(() => (caughtUp = true));

    await eventually(() => recorder.published.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The page after c,d waits for d's checkpoint to be stored, and d's for b's.
    expect(recorder.operations).toEqual([`publish ${a},${b}`, `storing ${b}`, `publish ${c},${d}`]);
    expect(running.metrics).toMatchObject({ lastPublished: START_CHECKPOINT, eventsPublished: 0 });

    saving.shift()!();
    await eventually(() => recorder.published.length === 5);
    expect(running.metrics).toMatchObject({ lastPublished: { globalPosition: b }, eventsPublished: 2 });
    saving.shift()!();
    await eventually(() => saving.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(caughtUp).toBe(false);
    saving.shift()!();
    await catchingUp;

    expect(recorder.operations).toEqual([
      `publish ${a},${b}`,
      `storing ${b}`,
      `publish ${c},${d}`,
      `checkpoint ${b}`,
      `storing ${d}`,
      `publish ${e}`,
      `checkpoint ${d}`,
      `storing ${e}`,
      `checkpoint ${e}`,
    ]);
    expect(running.metrics).toMatchObject({ lastPublished: { globalPosition: e }, eventsPublished: 5, pagesPublished: 3 });
  });

  it('resumes after the stored checkpoint when it starts again', async () => {
    const [, second, ...rest] = log.append(4);
    const recorder = new Recorder();
    recorder.stored = { transactionId: second.transactionId, globalPosition: second.globalPosition };

    await startRelay(recorder).caughtUp();

    expect(positions(recorder.published)).toEqual(positions(rest));
  });

  it('keeps retrying a page the broker refuses, without moving its checkpoint, and then publishes every event once', async () => {
    const events = log.append(3);
    const recorder = new Recorder({ publish: 4 });

    const running = startRelay(recorder);
    await eventually(() => recorder.publishAttempts === 3);
    expect(running.metrics).toMatchObject({ consecutiveFailures: expect.any(Number), lastError: 'broker unavailable', eventsPublished: 0 });
    expect(recorder.stored).toEqual(START_CHECKPOINT);

    await running.caughtUp();
    expect(positions(recorder.published)).toEqual(positions(events));
    expect(running.metrics).toMatchObject({ consecutiveFailures: 0, lastError: null, eventsPublished: 3 });
    expect(errorLog.mock.calls.map(([line]) => line)).toEqual(
      [1, 2, 3, 4].map((attempt) => expect.stringContaining(`(attempt ${attempt}), retrying in`)),
    );
    expect(infoLog).toHaveBeenCalledWith('publishing again after 4 failed attempt(s)');
  });

  it('publishes a page again when its checkpoint could not be stored: at least once, never lost', async () => {
    const [first, second, third] = log.append(3);
    const recorder = new Recorder({ save: 1 });

    await startRelay(recorder).caughtUp();

    // The next page went out while the failed checkpoint was being stored; everything after the stored one goes again.
    expect(positions(recorder.published)).toEqual(positions([first, second, third, first, second, third]));
    expect(recorder.stored.globalPosition).toBe(third.globalPosition);
  });

  it('looks at once when notified instead of waiting for its next poll', async () => {
    const recorder = new Recorder();
    const running = startRelay(recorder, { idlePollMs: 60_000 });
    await running.caughtUp();

    const [appended] = log.append(1);
    running.notify();

    await eventually(() => recorder.published.length === 1, 1000);
    expect(recorder.published).toEqual([appended]);
  });

  it('finds new events by polling when nobody notifies it', async () => {
    const recorder = new Recorder();
    await startRelay(recorder, { idlePollMs: 10 }).caughtUp();

    log.append(2);

    await eventually(() => recorder.published.length === 2);
  });

  it('stops promptly while it waits to retry', async () => {
    log.append(1);
    const recorder = new Recorder({ publish: Number.MAX_SAFE_INTEGER });
    const running = startRelay(recorder, { retry: { initialMs: 60_000 } });
    await eventually(() => recorder.publishAttempts === 1);

    const stopping = Date.now();
    await running.stop();

    expect(Date.now() - stopping).toBeLessThan(500);
    expect(running.metrics.running).toBe(false);
    await expect(running.caughtUp()).rejects.toThrow('not running');
  });
});

describe('Relay among several', () => {
  /** A lock the test hands from one relay to another. */
  class Baton implements RelayLeadership {
    constructor(
      private readonly me: 'a' | 'b',
      private readonly shared: { holder: 'a' | 'b' | null },
    ) {}
    async confirm(): Promise<boolean> {
      this.shared.holder ??= this.me;
      return this.shared.holder === this.me;
    }
    async release(): Promise<void> {
      if (this.shared.holder === this.me) this.shared.holder = null;
    }
  }

  const relays: Relay[] = [];
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });

  function startRelay(log: InMemoryLog, store: Recorder, sink: Recorder, leadership: RelayLeadership): Relay {
    const relay = new Relay(
      { log, checkpoints: store, sink, leadership },
      { name: 'trial-events', pageSize: 2, idlePollMs: 5, standbyRetryMs: 5 },
    );
    relays.push(relay);
    relay.start();
    return relay;
  }

  it('publishes only while it leads, and a new leader resumes from the stored checkpoint', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const log = new InMemoryLog();
    const checkpoints = new Recorder();
    const [sinkA, sinkB] = [new Recorder(), new Recorder()];
    const lock = { holder: 'a' as 'a' | 'b' | null };
    const a = startRelay(log, checkpoints, sinkA, new Baton('a', lock));
    const b = startRelay(log, checkpoints, sinkB, new Baton('b', lock));
    const first = log.append(3);

    await a.caughtUp();
    expect(positions(sinkA.published)).toEqual(positions(first));
    expect([a.metrics.role, b.metrics.role]).toEqual(['leader', 'standby']);

    lock.holder = 'b';
    const second = log.append(3);
    await b.caughtUp();

    expect(positions(sinkB.published)).toEqual(positions(second));
    expect(positions(sinkA.published)).toEqual(positions(first));
    expect([a.metrics.role, b.metrics.role]).toEqual(['standby', 'leader']);
    jest.restoreAllMocks();
  });
});

describe('RetryBackoff', () => {
  it('doubles the wait after each consecutive failure up to its ceiling', () => {
    const backoff = new RetryBackoff({ initialMs: 200, maxMs: 1000 });

    expect([1, 2, 3, 4, 5, 100].map((attempt) => backoff.delayAfter(attempt))).toEqual([200, 400, 800, 1000, 1000, 1000]);
  });
});
