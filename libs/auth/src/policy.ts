import { Role } from '@trialstream/domain';
import { Principal } from './principal';
import { siteBindingOf } from './user-rules';

export const ACTIONS = [
  'submit-clinical-data',
  'read-patient',
  'read-monitoring',
  'raise-query',
  'answer-query',
  /** Close, cancel or re-open a raised query: the monitor's review of the site's answer. */
  'review-query',
  'verify-source-data',
  'read-analysis-blinded',
  'read-analysis-unblinded',
  /** The allocation list, code-break results and allocation-revealing (masked) analytes. */
  'read-allocation',
  'read-audit-log',
  /** Users and sites. */
  'administer',
  'lock-database',
  'unblind',
  'code-break',
  /** Electronic signature of a patient's casebook or visit (21 CFR Part 11). */
  'sign-record',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who may do what (DESIGN.md "Security"); where a role is bound to sites, `canAccessSite` narrows it
 * further. The auditor reads everything, unmasked: proving the hash chain needs the events exactly as
 * stored, so an auditor cannot be a blinded role. An emergency code-break is asked for by the site
 * treating the patient, or by an administrator on the site's behalf; each is an audited event.
 */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'submit-clinical-data': ['site_coordinator', 'investigator'],
  'read-patient': ['site_coordinator', 'investigator', 'monitor', 'auditor'],
  'read-monitoring': ['monitor', 'auditor'],
  'raise-query': ['monitor'],
  'answer-query': ['site_coordinator', 'investigator'],
  'review-query': ['monitor'],
  'verify-source-data': ['monitor'],
  'read-analysis-blinded': ['blinded_statistician', 'unblinded_statistician', 'safety_board', 'auditor'],
  'read-analysis-unblinded': ['unblinded_statistician', 'safety_board', 'auditor'],
  'read-allocation': ['unblinded_statistician', 'safety_board', 'auditor'],
  'read-audit-log': ['auditor'],
  administer: ['administrator'],
  'lock-database': ['administrator'],
  unblind: ['administrator'],
  'code-break': ['site_coordinator', 'investigator', 'administrator'],
  'sign-record': ['investigator'],
};

/** Why a request was refused; shaped like a rule violation so the API can report `{ field, rule }`. */
export interface AccessDenial {
  rule: 'permission' | 'site-scope' | 'api-key-scope';
  field: string;
  message: string;
}

/** The sites whose data a principal may see, for filtering lists and exports. */
export type SiteScope = { allSites: true } | { allSites: false; siteIds: readonly string[] };

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

/** A scoped API key may do only what both its role and its scopes allow. */
export function can(principal: Principal, action: Action): boolean {
  return PERMISSIONS[action].includes(principal.role) && (principal.scopes === undefined || principal.scopes.includes(action));
}

/** A blinded principal must never receive an allocation or a masked analyte. */
export function isBlinded(principal: Principal): boolean {
  return !can(principal, 'read-allocation');
}

export function siteScope(principal: Principal): SiteScope {
  return siteBindingOf(principal.role) === 'none' ? { allSites: true } : { allSites: false, siteIds: principal.siteIds };
}

export function canAccessSite(principal: Principal, siteId: string): boolean {
  const scope = siteScope(principal);
  return scope.allSites || scope.siteIds.includes(siteId);
}

/** Null when the principal may act on the site's data, otherwise the denial to report. */
export function assertSiteAccess(principal: Principal, siteId: string): AccessDenial | null {
  if (canAccessSite(principal, siteId)) return null;
  return { rule: 'site-scope', field: 'siteId', message: `site ${siteId} is outside the sites assigned to you` };
}

/** Null when the principal's role grants the action, otherwise the denial to report. */
export function assertPermission(principal: Principal, action: Action): AccessDenial | null {
  if (can(principal, action)) return null;
  if (PERMISSIONS[action].includes(principal.role)) {
    return { rule: 'api-key-scope', field: 'authorization', message: `this API key's scopes do not include ${action}` };
  }
  return { rule: 'permission', field: 'role', message: `the ${principal.role} role does not permit ${action}` };
}

/** The whole check for one request: the role must grant the action and, when data belongs to a site, the site must be in scope. */
export function authorize(principal: Principal, action: Action, siteId?: string): AccessDenial | null {
  return assertPermission(principal, action) ?? (siteId === undefined ? null : assertSiteAccess(principal, siteId));
}
