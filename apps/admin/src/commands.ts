import { AdminCommand } from './admin-command';
import { createUser, listUsers, revokeUser } from './user-commands';

/**
 * Every command the admin CLI knows, by the name typed after `npm run admin --`.
 * Extension point: site activation is an event in the store; its command (e.g. `create-site`)
 * belongs here, next to the user commands, with its migrations added to ADMIN_MIGRATIONS.
 */
export const ADMIN_COMMANDS: Readonly<Record<string, AdminCommand>> = {
  'create-user': createUser,
  'list-users': listUsers,
  'revoke-user': revokeUser,
};
