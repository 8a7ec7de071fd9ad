import { Pool } from 'pg';
import { PostgresEventStore, type AppendOutcome } from '@trialstream/event-store';
import { upcastStoredEvent } from '@trialstream/domain';
import type { BenchDatabase } from './bench-database';
import type { MemoryRecorder } from './memory';
import type { BenchParameters } from './parameters';
import { appendRequest, batchedPlan, coordinatorOf, historyEvent, shareOf, singleEventPlan, type HistorySlice } from './patient-histories';
import { progress } from './progress';
import { createRawEventsTable, insertOneRowTransaction, insertRowsAtOnce, rawRowsOf, type RawEventRow } from './raw-events-table';
import { ratio, timed, type Throughput } from './stats';

export interface StoreAppendResults {
  method: string;
  single_group_commit: Throughput & {
    concurrency: number;
    committed_transactions: number;
    mean_events_per_transaction: number;
    largest_transaction: number;
  };
  batched: Throughput & { batch_size: number; transactions: number; events_per_append: number };
  raw_transaction_per_event: Throughput & { concurrency: number };
  raw_multi_row_insert: Throughput & { batch_size: number; transactions: number };
  ratios: {
    single_vs_raw_transaction_per_event: number;
    single_vs_raw_multi_row_insert: number;
    batched_vs_raw_multi_row_insert: number;
  };
}

const METHOD =
  'single: N writers, each appending one event per PostgresEventStore.append (expected version + submission id, as ' +
  'the ingest side does), coalesced by group commit; batched: one writer, appendBatch of whole patient histories per ' +
  'transaction; raw_transaction_per_event: N writers on raw pg, BEGIN/INSERT one row/COMMIT into a table LIKE ' +
  'event_store.events INCLUDING ALL; raw_multi_row_insert: one writer, the batched plan as one unnest INSERT per ' +
  'transaction into such a table. Raw rows (ids, hashes) are built before timing.';

function assertAppended(outcome: AppendOutcome, streamId: string): void {
  if (outcome.status !== 'appended') throw new Error(`append to ${streamId} was not stored: ${JSON.stringify(outcome)}`);
}

async function singleEventAppends(db: BenchDatabase, params: BenchParameters): Promise<StoreAppendResults['single_group_commit']> {
  const store = new PostgresEventStore(db.dataSource, { upcast: upcastStoredEvent });
  const writer = async (index: number) => {
    const actor = coordinatorOf(index);
    for (const { patient, version } of singleEventPlan(
      's',
      index,
      shareOf(params.events, params.concurrency, index),
      params.eventsPerPatient,
    )) {
      assertAppended(await store.append(appendRequest(patient, version - 1, [historyEvent(patient, version)], actor)), patient.streamId);
    }
  };
  const result = await timed(params.events, async () => {
    await Promise.all(Array.from({ length: params.concurrency }, (_, index) => writer(index)));
  });
  const stats = store.groupCommitStats;
  return {
    ...result,
    concurrency: params.concurrency,
    committed_transactions: stats.committedTransactions,
    mean_events_per_transaction: Number((params.events / stats.committedTransactions).toFixed(2)),
    largest_transaction: stats.largestBatch,
  };
}

async function batchedAppends(db: BenchDatabase, params: BenchParameters, plan: HistorySlice[][]): Promise<StoreAppendResults['batched']> {
  const store = new PostgresEventStore(db.dataSource, { upcast: upcastStoredEvent });
  const actor = coordinatorOf(0);
  const result = await timed(params.events, async () => {
    for (const batch of plan) {
      const outcomes = await store.appendBatch(batch.map((slice) => appendRequest(slice.patient, 0, slice.events, actor)));
      outcomes.forEach((outcome, index) => assertAppended(outcome, batch[index].patient.streamId));
    }
  });
  return { ...result, batch_size: params.batchSize, transactions: plan.length, events_per_append: params.eventsPerPatient };
}

async function rawTransactionPerEvent(pool: Pool, params: BenchParameters): Promise<StoreAppendResults['raw_transaction_per_event']> {
  const table = await createRawEventsTable(pool, 'transaction_per_event');
  const rowsOfWriter = (index: number): RawEventRow[] =>
    [...singleEventPlan('r', index, shareOf(params.events, params.concurrency, index), params.eventsPerPatient)].flatMap(
      ({ patient, version }) => rawRowsOf({ patient, events: [historyEvent(patient, version)] }, version),
    );
  const rows = Array.from({ length: params.concurrency }, (_, index) => rowsOfWriter(index));
  const clients = await Promise.all(rows.map(() => pool.connect()));
  try {
    const result = await timed(params.events, async () => {
      await Promise.all(
        clients.map(async (client, index) => {
          for (const row of rows[index]) await insertOneRowTransaction(client, table, row);
        }),
      );
    });
    return { ...result, concurrency: params.concurrency };
  } finally {
    clients.forEach((client) => client.release());
  }
}

async function rawMultiRowInsert(
  pool: Pool,
  params: BenchParameters,
  plan: HistorySlice[][],
): Promise<StoreAppendResults['raw_multi_row_insert']> {
  const table = await createRawEventsTable(pool, 'multi_row_insert');
  const batches = plan.map((batch) => batch.flatMap((slice) => rawRowsOf(slice)));
  const result = await timed(params.events, async () => {
    for (const rows of batches) await insertRowsAtOnce(pool, table, rows);
  });
  return { ...result, batch_size: params.batchSize, transactions: batches.length };
}

/**
 * The four append measurements, one after the other on the same database: the store's two paths and the raw
 * PostgreSQL baselines beside them. Leaves the store holding 2 × `events` patient events for the later phases.
 */
export async function measureStoreAppends(db: BenchDatabase, params: BenchParameters, memory: MemoryRecorder): Promise<StoreAppendResults> {
  const plan = batchedPlan('b', params.events, params.batchSize, params.eventsPerPatient);
  progress(`store: ${params.events} single-event appends from ${params.concurrency} writers (group commit)`);
  const single = await memory.during('store_append_single', () => singleEventAppends(db, params));
  progress(`store: ${params.events} events in batches of up to ${params.batchSize} (appendBatch)`);
  const batched = await memory.during('store_append_batched', () => batchedAppends(db, params, plan));

  const pool = new Pool({ connectionString: db.database.url, max: params.concurrency + 1, application_name: 'trialstream-bench-raw' });
  pool.on('error', (error) => progress(`raw pg pool: ${error.message}`));
  try {
    progress(`raw pg: ${params.events} one-row transactions from ${params.concurrency} writers`);
    const perEvent = await memory.during('raw_transaction_per_event', () => rawTransactionPerEvent(pool, params));
    progress(`raw pg: ${params.events} rows as multi-row INSERTs of up to ${params.batchSize}`);
    const multiRow = await memory.during('raw_multi_row_insert', () => rawMultiRowInsert(pool, params, plan));
    return {
      method: METHOD,
      single_group_commit: single,
      batched,
      raw_transaction_per_event: perEvent,
      raw_multi_row_insert: multiRow,
      ratios: {
        single_vs_raw_transaction_per_event: ratio(single, perEvent),
        single_vs_raw_multi_row_insert: ratio(single, multiRow),
        batched_vs_raw_multi_row_insert: ratio(batched, multiRow),
      },
    };
  } finally {
    await pool.end();
  }
}
