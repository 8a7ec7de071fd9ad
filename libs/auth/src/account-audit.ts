import { accountStreamId, AccountEventPayloadByType, AccountEventType, draftAccountEvent, UNKNOWN_ACCOUNT_STREAM_ID } from '../../domain/src/accounts/events';
import type { Actor, Role } from '../../domain/src/envelope';
import { appendAtStreamHead } from '../../event-store/src/append-at-head';
import type { PostgresEventStore } from '../../event-store/src/postgres-event-store';

/** The actor of what nobody authenticated did: a failed login for a name that does not exist. */
const NOBODY: Actor = { userId: 'unauthenticated', role: 'unauthenticated' as Role };

/** Writes account events to the log, on the account's own stream; never a secret (see accounts/events). */
export class AccountAudit {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly clock: () => Date,
  ) {}

  /** `account` (a principal or an account row) null: an unknown user name. `actor` defaults to the account holder. */
  async record<K extends AccountEventType>(
    holder: ({ userId: string } | { id: string }) & { role: Role } | null,
    type: K,
    data: AccountEventPayloadByType[K],
    actor?: Actor,
  ): Promise<void> {
    const account = holder && { userId: 'userId' in holder ? holder.userId : holder.id, role: holder.role };
    await appendAtStreamHead(this.store, {
      streamId: account ? accountStreamId(account.userId) : UNKNOWN_ACCOUNT_STREAM_ID,
      events: [draftAccountEvent(type, this.clock().toISOString(), data)],
      siteId: null,
      actor: actor ?? (account ? { userId: account.userId, role: account.role } : NOBODY),
    });
  }
}
