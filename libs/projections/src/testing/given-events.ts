import type { EventEnvelope } from '@trialstream/domain';
import type { Projection } from '../projection';
import { InMemoryReadModel } from './in-memory-read-model';

/**
 * Given / Then for a projection: given events (as a feed delivers them), then the rows of a table.
 *
 *   await givenEvents(ANALYSIS_PROJECTION, events).thenRows('patients', [expect.objectContaining({ patient_id })])
 */
export const givenEvents = (projection: Projection, ...events: Array<EventEnvelope | readonly EventEnvelope[]>) => {
  const applied = (async () => {
    const model = new InMemoryReadModel(projection);
    await model.apply(events.flat());
    return model;
  })();
  return {
    /** The read model after the events, for assertions of its own. */
    model: (): Promise<InMemoryReadModel> => applied,
    /** The table holds exactly these rows, ordered by primary key. */
    async thenRows(table: string, expected: unknown[]): Promise<void> {
      expect((await applied).rowsOf(table)).toEqual(expected);
    },
  };
};
