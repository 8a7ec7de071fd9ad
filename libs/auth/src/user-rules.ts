import { ROLES, Role, RuleViolation, violation } from '@trialstream/domain';
import { isRole } from './principal';

/** A request for a user, as typed by an administrator: the role is checked against ROLES, not trusted. */
export interface NewUser {
  name: string;
  role: string;
  siteIds: readonly string[];
}

/** How many sites a role is bound to: one for a coordinator, at least one for a monitor, none for trial-wide roles. */
export type SiteBinding = 'exactly-one' | 'one-or-more' | 'none';

export function siteBindingOf(role: Role): SiteBinding {
  switch (role) {
    case 'site_coordinator':
    case 'investigator':
      return 'exactly-one';
    case 'monitor':
      return 'one-or-more';
    default:
      return 'none';
  }
}

const SITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Everything wrong with a requested user, so an administrator can fix it in one go. */
export function validateNewUser(input: NewUser): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const siteIds = input.siteIds ?? [];

  if (typeof input.name !== 'string' || input.name.trim() === '') {
    violations.push(violation('name', 'required', 'name must not be empty'));
  }
  for (const [index, siteId] of siteIds.entries()) {
    if (typeof siteId !== 'string' || !SITE_ID_PATTERN.test(siteId)) {
      violations.push(
        violation(`siteIds[${index}]`, 'site-id-format', 'a site id is 1-64 letters, digits, "-" or "_", starting with a letter or digit'),
      );
    }
  }
  if (new Set(siteIds).size !== siteIds.length) {
    violations.push(violation('siteIds', 'unique', 'each site may be listed only once'));
  }
  if (!isRole(input.role)) {
    violations.push(violation('role', 'one-of', `role must be one of ${ROLES.join(', ')}`));
    return violations;
  }

  const binding = siteBindingOf(input.role);
  if (binding === 'exactly-one' && siteIds.length !== 1) {
    violations.push(violation('siteIds', 'exactly-one-site', `a ${input.role} works at exactly one site (got ${siteIds.length})`));
  } else if (binding === 'one-or-more' && siteIds.length === 0) {
    violations.push(violation('siteIds', 'at-least-one-site', `a ${input.role} must be assigned at least one site`));
  } else if (binding === 'none' && siteIds.length > 0) {
    violations.push(violation('siteIds', 'no-sites', `a ${input.role} sees all sites and takes no site assignment`));
  }
  return violations;
}
