import { ROLES } from '@trialstream/domain';
import { UserDirectory, UserRecord, UserRejectedError } from '@trialstream/auth';
import { AdminCommand, CommandFailedError, requiredString, stringList } from './admin-command';

const describeSites = (siteIds: readonly string[]): string => (siteIds.length > 0 ? siteIds.join(',') : '(all)');

export const createUser: AdminCommand = {
  summary: 'create a user and print their API key once',
  usage: `create-user --name <name> --role <${ROLES.join('|')}> [--site <siteId> ...]`,
  options: { name: { type: 'string' }, role: { type: 'string' }, site: { type: 'string', multiple: true } },
  async run(values, { database, print }) {
    const request = { name: requiredString(values, 'name'), role: requiredString(values, 'role'), siteIds: stringList(values, 'site') };
    const users = new UserDirectory(await database());
    try {
      const { user, token } = await users.createUser(request);
      print(`Created user ${user.id}`);
      print(`  name:  ${user.name}`);
      print(`  role:  ${user.role}`);
      print(`  sites: ${describeSites(user.siteIds)}`);
      print(`  token: ${token}`);
      print('Hand the token to its owner now: only its hash is stored, so it cannot be shown again.');
    } catch (error) {
      if (error instanceof UserRejectedError) {
        throw new CommandFailedError(error.violations.map((v) => `--${optionOf(v.field)}: ${v.message}`).join('\n'));
      }
      throw error;
    }
  },
};

/** Maps a violation's field back to the flag the operator typed. */
function optionOf(field: string): string {
  if (field.startsWith('siteIds')) return 'site';
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
