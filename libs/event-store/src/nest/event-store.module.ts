import { Global, Module } from '@nestjs/common';
import { upcastStoredEvent } from '@trialstream/domain';
import type { DataSource } from 'typeorm';
import { PostgresEventStore } from '../postgres-event-store';

/** Injection token of the process's PostgresEventStore. */
export const EVENT_STORE = 'EVENT_STORE';

/** One store per process, so concurrent requests share its group commit. Needs a 'DATA_SOURCE' provider. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      // Recorded-at comes from the platform clock (CLOCK), so tests can pin "when it was recorded".
      useFactory: (dataSource: DataSource, clock: () => Date) => new PostgresEventStore(dataSource, { upcast: upcastStoredEvent, clock }),
      inject: ['DATA_SOURCE', 'CLOCK'],
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule {}
