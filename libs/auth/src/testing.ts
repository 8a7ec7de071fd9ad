import { Role } from '@trialstream/domain';
import { Principal } from './principal';

/** Builds a principal for tests; a site-bound role gets a site unless told otherwise. */
export function aPrincipal(overrides: Partial<Principal> & { role: Role }): Principal {
  const defaultSites =
    overrides.role === 'site_coordinator' || overrides.role === 'investigator' || overrides.role === 'monitor' ? ['S01'] : [];
  return { userId: `user-${overrides.role}`, name: `A ${overrides.role}`, siteIds: defaultSites, ...overrides };
}
