import { userInfo } from 'node:os';
import { AccountAudit, Accounts, AuthError, type Principal } from '@trialstream/auth';
import { loadConfig } from '@trialstream/config';
import type { PlatformDatabase } from '../../platform/src/platform-database';
import { CommandFailedError, UsageError } from './admin-command';
import type { SecretReader } from './terminal-input';

/** The accounts of the platform's database, signing people in on the wall clock as the server does. */
export function accountsOf(database: PlatformDatabase, env: NodeJS.ProcessEnv): Accounts {
  const clock = () => new Date();
  return new Accounts(database.dataSource, new AccountAudit(database.store, clock), loadConfig(env).auth, clock);
}

/**
 * Who a command-line command acts as: with `--as <username>`, that administrator, signed in with the
 * password they type (a wrong one stops the command before it does anything); without it, this
 * machine's login (`cli:<login>`).
 */
export async function operatorOf(as: unknown, accounts: () => Promise<Accounts>, readSecret: SecretReader): Promise<Principal> {
  if (as === undefined) {
    const who = `cli:${userInfo().username}`;
    return { userId: who, name: who, role: 'administrator', siteIds: [] };
  }
  if (typeof as !== 'string' || as.trim() === '') throw new UsageError('--as takes the user name of an administrator');
  const password = await readSecret(`Password for ${as}: `);
  let person: Principal;
  try {
    person = await (await accounts()).authenticate(as, password);
  } catch (error) {
    if (error instanceof AuthError) throw new CommandFailedError(`--as ${as}: ${(error.getResponse() as { message: string }).message}`);
    throw error;
  }
  if (person.role !== 'administrator') {
    throw new CommandFailedError(`--as ${as}: ${as} is a ${person.role}; the admin command acts only as an administrator`);
  }
  return person;
}

/** How `--as` reads in a command's usage text. */
export const AS_PERSON_USAGE = [
  'With --as <username>, a command acts as that administrator, who types their password (or pipes it on standard',
  "input); without it, the command's events name this machine's login (cli:<login>).",
];
