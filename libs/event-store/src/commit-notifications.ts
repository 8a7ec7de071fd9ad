import { Client } from 'pg';

/** Every transaction that inserts events notifies this channel at its commit; the payload names the store that wrote. */
export const COMMITS_CHANNEL = 'trialstream_commits';

export interface CommitNotificationsOptions {
  url: string;
  /** Commits announced under this name are the listener's own, already signalled in-process: not signalled again. */
  ownName: string;
  onCommit: () => void;
}

/** Wait before listening again after the connection failed. */
const RETRY_MS = 1_000;

/**
 * Word of commits made by other processes on the same database, through LISTEN on a connection of its own, so a
 * reader in a process that does not append (a relay or a projection service of its own) wakes at once instead of at
 * its next poll. Reconnects after the connection is lost, and signals once when listening starts or starts again,
 * since commits made while it was not listening were not heard. Missing a signal costs latency, never events:
 * readers still poll.
 */
export class CommitNotifications {
  private client: Client | null = null;
  private stopped = false;
  /** True while the LISTEN connection is up. */
  listening = false;
  private readonly running: Promise<void>;
  private wakeRetry: () => void = () => undefined;

  constructor(private readonly options: CommitNotificationsOptions) {
    this.running = this.listenUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeRetry();
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private async listenUntilStopped(): Promise<void> {
    while (!this.stopped) {
      // Why it ended is not kept: the store's trialstream_commit_listener_up metric shows the gap.
      await this.listenOnce().catch(() => undefined);
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        // Waiting to listen again keeps no process alive: one whose listener was never unsubscribed can still exit.
        const timer = setTimeout(resolve, RETRY_MS).unref();
        this.wakeRetry = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Listens until the connection ends. */
  private async listenOnce(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: 'trialstream-commit-listener',
      keepAlive: true,
      // A server that does not answer must not hold up stop() (which waits for the attempt) for long.
      connectionTimeoutMillis: 5_000,
    });
    // A failure ends the connection, which ends the wait below.
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (message.channel === COMMITS_CHANNEL && message.payload !== this.options.ownName) this.options.onCommit();
    });
    const ended = new Promise<void>((resolve) => client.once('end', resolve));
    try {
      await client.connect();
      this.client = client;
      if (this.stopped) await client.end();
      else {
        await client.query(`LISTEN ${COMMITS_CHANNEL}`);
        // Listening keeps no process alive either: it serves whatever else does (an HTTP server, a relay loop);
        // pg has Client#unref (pg-pool uses it for allowExitOnIdle) but its types do not declare it.
        (client as Client & { unref(): void }).unref();
        this.listening = true;
        this.options.onCommit();
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await ended;
    this.listening = false;
    this.client = null;
  }
}
