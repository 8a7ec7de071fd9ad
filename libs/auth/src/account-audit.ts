import { Logger } from '@nestjs/common';
import { accountStreamId, AccountEventPayloadByType, AccountEventType, draftAccountEvent } from '@trialstream/domain';
import type { Actor, Role } from '@trialstream/domain';
import { appendAtStreamHead } from '@trialstream/event-store';
import type { PostgresEventStore } from '@trialstream/event-store';

const logger = new Logger('accounts');

/** Writes account events to the log, on the account's own stream; never a secret (see accounts/events). */
export class AccountAudit {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly clock: () => Date,
  ) {}

  /**
   * `holder` is a principal or an account row; `actor` defaults to the holder. For a user name that does
   * not exist (holder null) there is no account and no actor to attribute an event to: the attempt is a
   * log line, without the name tried, and counts toward that name's lockout like any other.
   */
  async record<K extends AccountEventType>(
    holder: (({ userId: string } | { id: string }) & { role: Role }) | null,
    type: K,
    data: AccountEventPayloadByType[K],
    actor?: Actor,
  ): Promise<void> {
    if (!holder) {
      logger.warn(`${type} ${JSON.stringify(data)}`);
      return;
    }
    const account = { userId: 'userId' in holder ? holder.userId : holder.id, role: holder.role };
    const appended = await appendAtStreamHead(this.store, {
      streamId: accountStreamId(account.userId),
      events: [draftAccountEvent(type, this.clock().toISOString(), data)],
      siteId: null,
      actor: actor ?? account,
    });
    if (!appended) throw new Error(`could not record ${type} for account ${account.userId}`);
  }
}
