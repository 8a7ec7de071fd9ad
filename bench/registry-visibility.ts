import { Client } from 'pg';
import { progress } from './progress';

const CHANNEL = 'bench_registry';

interface Waiter {
  patientId: string;
  totalEvents: number;
  resolve(at: number): void;
}

/**
 * Tells the moment a registry row became visible to readers, without polling: a row trigger on registry.patients
 * (installed on the benchmark's own database) calls pg_notify, which PostgreSQL delivers when the projection's
 * transaction commits. The listener stamps performance.now() as the notification arrives.
 */
export class RegistryVisibility {
  private waiters: Waiter[] = [];
  /** The highest total seen per patient and when, for a wait that begins after the row was written. */
  private readonly latest = new Map<string, { totalEvents: number; at: number }>();

  private constructor(private readonly client: Client) {
    // A dropped connection must not crash the run; a wait then ends in its timeout, naming the patient.
    client.on('error', (error) => progress(`registry visibility listener: ${error.message}`));
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const at = performance.now();
      const separator = message.payload.lastIndexOf('|');
      const patientId = message.payload.slice(0, separator);
      const totalEvents = Number(message.payload.slice(separator + 1));
      if (totalEvents > (this.latest.get(patientId)?.totalEvents ?? 0)) this.latest.set(patientId, { totalEvents, at });
      const [reached, waiting] = partition(this.waiters, (waiter) => waiter.patientId === patientId && totalEvents >= waiter.totalEvents);
      this.waiters = waiting;
      for (const waiter of reached) waiter.resolve(at);
    });
  }

  static async watch(databaseUrl: string): Promise<RegistryVisibility> {
    const client = new Client({ connectionString: databaseUrl, application_name: 'trialstream-bench-visibility' });
    await client.connect();
    try {
      await client.query(`
        CREATE OR REPLACE FUNCTION public.bench_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${CHANNEL}', NEW.patient_id || '|' || NEW.total_events);
          RETURN NULL;
        END $$`);
      await client.query(`
        CREATE TRIGGER bench_registry_changed AFTER INSERT OR UPDATE ON registry.patients
        FOR EACH ROW EXECUTE FUNCTION public.bench_registry_changed()`);
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end();
      throw error;
    }
    return new RegistryVisibility(client);
  }

  /** Resolves with the performance.now() instant the patient's row showed `totalEvents` (or more) committed. */
  whenVisible(patientId: string, totalEvents: number, timeoutMs: number): Promise<number> {
    const seen = this.latest.get(patientId);
    if (seen && seen.totalEvents >= totalEvents) return Promise.resolve(seen.at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`registry row ${patientId} did not reach ${totalEvents} events within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Waiter = {
        patientId,
        totalEvents,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.push(entry);
    });
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (predicate(item) ? yes : no).push(item);
  return [yes, no];
}
