import { ROLES, Role } from '@trialstream/domain';
import type { Action } from './policy';

/** The authenticated caller of a request: who they are, what role they act in, which sites they are bound to. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  /** The sites a site coordinator or monitor is bound to; empty for roles that see all sites. */
  siteIds: readonly string[];
  /** The login name of a person with a password; absent for API-key-only users and machine keys. */
  username?: string;
  /** Set for a scoped API key: the actions it may use (within its role's). */
  scopes?: readonly Action[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
