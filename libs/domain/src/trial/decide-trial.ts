import { EventDraft } from '../envelope';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { fieldsOf, Violations } from '../validation';
import { DatabaseFrozen, DatabaseLocked, draftTrialEvent, TrialUnblinded } from './events';
import { TRIAL_RULE } from './rules';
import { isLocked, TrialState } from './trial-state';

/**
 * An administrator's decision about the whole trial. It has no clinical time: `occurredAt` is the
 * server's clock when it was decided.
 */
export interface TrialCommand {
  reason?: string;
}

const TRIAL_FIELD = 'trial';

/** Freezing stops data entry for cleaning; only an open database can be frozen. */
export const decideDatabaseFreeze = (
  state: TrialState,
  command: TrialCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'DatabaseFrozen', DatabaseFrozen>> => {
  const issues = new Violations();
  if (state.status !== 'open') {
    issues.add(
      TRIAL_FIELD,
      state.status === 'frozen' ? TRIAL_RULE.alreadyFrozen : TRIAL_RULE.alreadyLocked,
      `the database is already ${state.status}`,
    );
    return reject(issues.list);
  }
  const reason = issues.optionalText(fieldsOf(command).reason, 'reason', 1000);
  if (issues.any) return reject(issues.list);
  return accept(draftTrialEvent('DatabaseFrozen', ctx.now.toISOString(), reason === undefined ? {} : { reason }));
};

/** The lock makes the database final; an open or a frozen database can be locked, once. */
export const decideDatabaseLock = (
  state: TrialState,
  command: TrialCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'DatabaseLocked', DatabaseLocked>> => {
  const issues = new Violations();
  if (isLocked(state)) {
    issues.add(TRIAL_FIELD, TRIAL_RULE.alreadyLocked, `the database was locked at ${state.lockedAt}`);
    return reject(issues.list);
  }
  const reason = issues.optionalText(fieldsOf(command).reason, 'reason', 1000);
  if (issues.any) return reject(issues.list);
  return accept(draftTrialEvent('DatabaseLocked', ctx.now.toISOString(), reason === undefined ? {} : { reason }));
};

/**
 * Opens the allocation to unblinded roles. Refused before the lock: once the arms are known, the data
 * they are compared on must no longer be able to change.
 */
export const decideUnblinding = (
  state: TrialState,
  command: TrialCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'TrialUnblinded', TrialUnblinded>> => {
  const issues = new Violations();
  if (state.status === 'unblinded') {
    issues.add(TRIAL_FIELD, TRIAL_RULE.alreadyUnblinded, `the trial was unblinded at ${state.unblindedAt}`);
    return reject(issues.list);
  }
  if (!isLocked(state)) {
    issues.add(TRIAL_FIELD, TRIAL_RULE.databaseNotLocked, 'the database must be locked before the trial is unblinded');
    return reject(issues.list);
  }
  const reason = issues.requiredText(fieldsOf(command).reason, 'reason', 1000);
  if (issues.any || reason === undefined) return reject(issues.list);
  return accept(draftTrialEvent('TrialUnblinded', ctx.now.toISOString(), { reason }));
};
