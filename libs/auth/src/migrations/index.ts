import { CreateAuthUsers1767225600000 } from './1767225600000-create-auth-users';
import { CreateAccountsAndSessions1767312000000 } from './1767312000000-create-accounts-and-sessions';

/** The auth schema's migrations, in order; apps add them to the list they pass to `openDatabase`. */
export const AUTH_MIGRATIONS = [CreateAuthUsers1767225600000, CreateAccountsAndSessions1767312000000];
