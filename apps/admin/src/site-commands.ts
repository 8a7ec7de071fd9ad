import { ApiError } from '@trialstream/api-common';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { randomUUID } from 'node:crypto';
import { ActivateSite, ActivateSiteHandler } from '../../ingest/src/sites/activate-site';
import { createStreamWriter } from '@trialstream/write-side';
import { AdminCommand, AS_PERSON, CommandFailedError, requiredString } from './admin-command';

export const createSite: AdminCommand = {
  summary: 'activate a trial site (a SiteActivated event in the store)',
  usage: 'create-site --id <S01> --name <name> [--country <CH>] [--date <YYYY-MM-DD>] [--as <username>]',
  options: { id: { type: 'string' }, name: { type: 'string' }, country: { type: 'string' }, date: { type: 'string' }, ...AS_PERSON },
  async run(values, { store: openStore, trialStreams, operator, print }) {
    const store = await openStore();
    const clock = () => new Date();
    const streams = await trialStreams();
    const handler = new ActivateSiteHandler(createStreamWriter(store, clock, ANTI_MAG_RITUXIMAB_PROTOCOL, streams), streams);
    const body = {
      submissionId: randomUUID(),
      siteId: requiredString(values, 'id'),
      name: requiredString(values, 'name'),
      country: typeof values.country === 'string' ? values.country : undefined,
      occurredAt: typeof values.date === 'string' ? values.date : clock().toISOString().slice(0, 10),
    };
    try {
      const result = await handler.execute(new ActivateSite(await operator(), body));
      print(`Activated site ${body.siteId} (${body.name}): event ${result.response.events[0].eventId}`);
    } catch (error) {
      if (error instanceof ApiError) {
        throw new CommandFailedError(
          error.details.map((d) => `--${d.field === 'siteId' ? 'id' : d.field}: ${d.rule}`).join('\n') || error.message,
        );
      }
      throw error;
    }
  },
};
