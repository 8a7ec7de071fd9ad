import { ROLES, Role } from '@trialstream/domain';

/** The authenticated caller of a request: who they are, what role they act in, which sites they are bound to. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  /** The sites a site coordinator or monitor is bound to; empty for roles that see all sites. */
  siteIds: readonly string[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
