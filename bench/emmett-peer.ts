import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import type { EventDraft } from '@trialstream/domain';
import type { BenchDatabase } from './bench-database';
import type { MemoryRecorder } from './memory';
import type { BenchParameters } from './parameters';
import { batchedPlan, historyEvent, shareOf, singleEventPlan } from './patient-histories';
import { progress } from './progress';
import { ratio, timed, type Throughput } from './stats';

export interface EmmettPeerResults {
  method: string;
  single: Throughput & { concurrency: number };
  batched: Throughput & { events_per_append: number };
  ratios: {
    our_single_group_commit_vs_emmett_single: number;
    our_batched_vs_emmett_batched: number;
  };
}

const METHOD =
  "Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql), schema created in the same benchmark " +
  'database on the same server, appending the same event payloads as store_append: single = N writers each calling ' +
  'appendToStream with one event and the expected stream version; batched = appendToStream of whole patient ' +
  "histories (Emmett's batch is one stream per call), one writer. Our side: store_append.single_group_commit and " +
  'store_append.batched of the same run.';

const emmettEvent = (draft: EventDraft) => ({ type: draft.type, data: draft.data as Record<string, unknown> });

/** Emmett appending what our store appended, for a peer figure from the same run on the same server. */
export async function measureEmmettPeer(
  db: BenchDatabase,
  params: BenchParameters,
  ours: { single: Throughput; batched: Throughput },
  memory: MemoryRecorder,
): Promise<EmmettPeerResults> {
  const store: PostgresEventStore = getPostgreSQLEventStore(db.database.url, { schema: { autoMigration: 'CreateOrUpdate' } });
  try {
    await store.schema.migrate();
    progress(`emmett: ${params.events} single-event appends from ${params.concurrency} writers`);
    const single = await memory.during('emmett_single', () =>
      timed(params.events, async () => {
        await Promise.all(
          Array.from({ length: params.concurrency }, async (_, writer) => {
            for (const { patient, version } of singleEventPlan(
              'es',
              writer,
              shareOf(params.events, params.concurrency, writer),
              params.eventsPerPatient,
            )) {
              await store.appendToStream(patient.streamId, [emmettEvent(historyEvent(patient, version))], {
                expectedStreamVersion: BigInt(version - 1),
              });
            }
          }),
        );
      }),
    );
    progress(`emmett: ${params.events} events as whole patient histories`);
    const plan = batchedPlan('eb', params.events, params.batchSize, params.eventsPerPatient).flat();
    const batched = await memory.during('emmett_batched', () =>
      timed(params.events, async () => {
        for (const slice of plan)
          await store.appendToStream(slice.patient.streamId, slice.events.map(emmettEvent), { expectedStreamVersion: 0n });
      }),
    );
    return {
      method: METHOD,
      single: { ...single, concurrency: params.concurrency },
      batched: { ...batched, events_per_append: params.eventsPerPatient },
      ratios: {
        our_single_group_commit_vs_emmett_single: ratio(ours.single, single),
        our_batched_vs_emmett_batched: ratio(ours.batched, batched),
      },
    };
  } finally {
    await store.close();
  }
}
