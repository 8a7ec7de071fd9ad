import { AdminCommand } from './admin-command';
import { createSite } from './site-commands';
import { activate, createUser, listUsers, revokeUser } from './user-commands';

/** Every command the admin CLI knows, by the name typed after `npm run admin --`. */
export const ADMIN_COMMANDS: Readonly<Record<string, AdminCommand>> = {
  'create-site': createSite,
  'create-user': createUser,
  'list-users': listUsers,
  'revoke-user': revokeUser,
  activate,
};
