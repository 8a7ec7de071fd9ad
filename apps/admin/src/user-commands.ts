import { ROLES } from '@trialstream/domain';
import { AuthError, UserDirectory, UserRecord, UserRejectedError } from '@trialstream/auth';
import { loadConfig } from '@trialstream/config';
import { AdminCommand, AdminContext, AS_PERSON, CommandFailedError, OptionValues, requiredString, stringList } from './admin-command';

const describeSites = (siteIds: readonly string[]): string => (siteIds.length > 0 ? siteIds.join(',') : '(all)');

export const createUser: AdminCommand = {
  summary:
    'create a person with --username (prints a one-time activation code: they set a password, and can sign), ' +
    'or without it a key-only user for a script (prints an API key; it cannot sign)',
  usage: `create-user --name <name> --role <${ROLES.join('|')}> [--site <siteId> ...] [--username <username>] [--as <username>]`,
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    site: { type: 'string', multiple: true },
    username: { type: 'string' },
    ...AS_PERSON,
  },
  async run(values, context) {
    const request = { name: requiredString(values, 'name'), role: requiredString(values, 'role'), siteIds: stringList(values, 'site') };
    if (values.username !== undefined) return createPerson({ ...request, username: requiredString(values, 'username') }, context);
    const users = new UserDirectory(await context.database());
    const { print } = context;
    try {
      const { user, token } = await users.createUser(request);
      print(`Created user ${user.id}`);
      print(`  name:  ${user.name}`);
      print(`  role:  ${user.role}`);
      print(`  sites: ${describeSites(user.siteIds)}`);
      print(`  token: ${token}`);
      print('Hand the token to its owner now: only its hash is stored, so it cannot be shown again.');
      print(
        'A key-only user has no password and cannot sign (freeze, lock, unblinding, code-break, signatures): give a person --username.',
      );
    } catch (error) {
      if (error instanceof UserRejectedError) {
        throw new CommandFailedError(error.violations.map((v) => `--${optionOf(v.field)}: ${v.message}`).join('\n'));
      }
      throw error;
    }
  },
};

/** A person: user name, no password yet, and a one-time activation code to exchange for one. */
async function createPerson(
  request: { name: string; role: string; siteIds: string[]; username: string },
  { accounts, operator, print }: AdminContext,
): Promise<void> {
  try {
    const person = await (await accounts()).create(request, await operator());
    print(`Created person ${person.userId}`);
    print(`  username:        ${person.username}`);
    print(`  name:            ${request.name.trim()}`);
    print(`  role:            ${request.role}`);
    print(`  sites:           ${describeSites(request.siteIds)}`);
    print(`  activation code: ${person.activationCode}`);
    print(
      `Hand the code to ${person.username} now (it holds ${loadConfig(process.env).auth.activationCodeHours} hours and cannot be shown again): ` +
        `they choose their password in the web app ("Activate") or with \`npm run admin -- activate --username ${person.username}\`.`,
    );
  } catch (error) {
    throw asCommandFailure(error);
  }
}

export const activate: AdminCommand = {
  summary: "a person's first password, for the one-time activation code (both typed, or piped one a line)",
  usage: 'activate --username <username>',
  options: { username: { type: 'string' } },
  async run(values: OptionValues, { accounts, readSecret, print }) {
    const username = requiredString(values, 'username');
    const activationCode = (await readSecret(`Activation code for ${username}: `)).trim();
    const password = await readSecret('New password (12 characters or more): ');
    try {
      await (await accounts()).activate(username, activationCode, password);
    } catch (error) {
      throw asCommandFailure(error);
    }
    print(`Activated ${username}: sign in with the new password; signed actions ask for it again.`);
  },
};

/** An account rule's refusal, named by the option (or the typed answer) it concerns. */
function asCommandFailure(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  const { message, details } = error.getResponse() as { message: string; details: { field: string; rule: string }[] };
  return new CommandFailedError(
    details.length > 0 ? details.map((d) => `--${optionOf(d.field)}: ${d.rule} (${message})`).join('\n') : message,
  );
}

/** Maps a violation's field back to the flag the operator typed. */
function optionOf(field: string): string {
  if (field.startsWith('siteIds')) return 'site';
  if (field === 'activationCode') return 'activation code';
  return field;
}

const statusOf = (user: UserRecord): string => (user.revokedAt ? `revoked ${user.revokedAt.toISOString()}` : 'active');

export const listUsers: AdminCommand = {
  summary: 'list users (never their keys)',
  usage: 'list-users',
  options: {},
  async run(_values, { database, print }) {
    const users = await new UserDirectory(await database()).list();
    if (users.length === 0) {
      print('No users yet.');
      return;
    }
    print(['id', 'role', 'sites', 'key id', 'status', 'name'].join('\t'));
    for (const user of users) {
      print([user.id, user.role, describeSites(user.siteIds), user.keyId, statusOf(user), user.name].join('\t'));
    }
  },
};

export const revokeUser: AdminCommand = {
  summary: "revoke a user's API key with immediate effect",
  usage: 'revoke-user --id <userId>',
  options: { id: { type: 'string' } },
  async run(values, { database, print }) {
    const id = requiredString(values, 'id');
    const revoked = await new UserDirectory(await database()).revoke(id);
    if (!revoked) throw new CommandFailedError(`No user with id ${id}`);
    print(`Revoked user ${id}: their API key no longer authenticates.`);
  },
};
