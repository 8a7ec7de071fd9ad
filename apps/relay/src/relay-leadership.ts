import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { describeError } from '@trialstream/config';

/** Which relay of several publishes: at most one holds leadership at a time. */
export interface RelayLeadership {
  /**
   * True while this process leads; a standby tries to take the lead on each call. Never rejects: a lost or
   * unreachable database is simply not leading.
   */
  confirm(): Promise<boolean>;
  release(): Promise<void>;
}

export interface AdvisoryLockLeadershipOptions {
  databaseUrl: string;
  /** The relay's name (its topic): relays of different topics do not compete. */
  name: string;
  /** A statement on the lock's connection that takes longer counts as a lost connection (default 5 s). */
  queryTimeoutMs?: number;
  applicationName?: string;
}

/** Advisory locks of this class elect relays (7_301 serializes projection writers). */
const RELAY_LOCK_CLASS = 7_302;

/**
 * Leadership is a session-level PostgreSQL advisory lock held on a connection of its own. The server releases it the
 * moment that session ends (the process died: the kernel closes its socket at once; the host vanished: the
 * keepalives below end the session within seconds), and this side stops leading as soon as its connection errs,
 * ends, or fails the re-check before a page.
 */
export class AdvisoryLockLeadership implements RelayLeadership {
  private readonly logger = new Logger('RelayLeadership');
  private client: Client | null = null;
  private leading = false;

  constructor(private readonly options: AdvisoryLockLeadershipOptions) {}

  async confirm(): Promise<boolean> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.leading) {
        // The session (and so the lock) is alive as long as the connection answers.
        await client.query('SELECT 1');
        return this.leading;
      }
      const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        RELAY_LOCK_CLASS,
        this.options.name,
      ]);
      this.leading = rows.rows[0].locked === true && this.client === client;
      if (this.leading) this.logger.log(`leading the relay of ${this.options.name}`);
      return this.leading;
    } catch (error) {
      this.lost(`the leadership connection failed: ${describeError(error)}`);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leading = false;
    // Ending the session releases the lock.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: this.options.applicationName ?? 'trialstream-relay-leadership',
      keepAlive: true,
      keepAliveInitialDelayMillis: 1_000,
      query_timeout: this.options.queryTimeoutMs ?? 5_000,
      connectionTimeoutMillis: this.options.queryTimeoutMs ?? 5_000,
    });
    client.on('error', (error) => this.lost(`the leadership connection failed: ${error.message}`));
    client.on('end', () => this.client === client && this.lost('the leadership connection ended'));
    this.client = client;
    try {
      await client.connect();
      // The server probes a silent client after 2 s and drops it after 3 more: a vanished leader's lock frees in ~5 s.
      await client.query(`SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3`);
    } catch (error) {
      this.client = null;
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private lost(reason: string): void {
    const wasLeading = this.leading;
    const client = this.client;
    this.leading = false;
    this.client = null;
    void client?.end().catch(() => undefined);
    if (wasLeading) this.logger.warn(`no longer leading the relay of ${this.options.name}: ${reason}`);
  }
}
