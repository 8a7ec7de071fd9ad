import { ROLES, Role } from '@trialstream/domain';
import {
  ACTIONS,
  Action,
  assertPermission,
  assertSiteAccess,
  authorize,
  can,
  canAccessSite,
  isBlinded,
  PERMISSIONS,
  siteScope,
} from './policy';
import { aPrincipal } from './testing';

const coordinator = aPrincipal({ role: 'site_coordinator', siteIds: ['S01'] });
const monitor = aPrincipal({ role: 'monitor', siteIds: ['S01', 'S03'] });
const rolesAllowed = (action: Action): Role[] => ROLES.filter((role) => can(aPrincipal({ role }), action));

describe('site scope', () => {
  it("lets a site coordinator reach only their own site's data", () => {
    expect(canAccessSite(coordinator, 'S01')).toBe(true);
    expect(canAccessSite(coordinator, 'S02')).toBe(false);
  });

  it('lets a monitor reach each assigned site and no other', () => {
    expect(canAccessSite(monitor, 'S01')).toBe(true);
    expect(canAccessSite(monitor, 'S03')).toBe(true);
    expect(canAccessSite(monitor, 'S02')).toBe(false);
  });

  it.each(['blinded_statistician', 'unblinded_statistician', 'safety_board', 'auditor', 'administrator'] as const)(
    'gives a %s every site, limited by role alone',
    (role) => {
      expect(canAccessSite(aPrincipal({ role }), 'S99')).toBe(true);
      expect(siteScope(aPrincipal({ role }))).toEqual({ allSites: true });
    },
  );

  it('reports the assigned sites of a site-bound principal for filtering lists', () => {
    expect(siteScope(monitor)).toEqual({ allSites: false, siteIds: ['S01', 'S03'] });
  });

  it('does not widen scope for a site-bound role that somehow has no sites', () => {
    expect(canAccessSite(aPrincipal({ role: 'monitor', siteIds: [] }), 'S01')).toBe(false);
  });

  it('explains a refusal for another site as a site-scope denial', () => {
    expect(assertSiteAccess(coordinator, 'S02')).toEqual({
      rule: 'site-scope',
      field: 'siteId',
      message: 'site S02 is outside the sites assigned to you',
    });
    expect(assertSiteAccess(coordinator, 'S01')).toBeNull();
  });
});

describe('permissions', () => {
  it('lets only the site (coordinators and investigators) submit clinical data', () => {
    expect(rolesAllowed('submit-clinical-data')).toEqual(['site_coordinator', 'investigator']);
  });

  it('lets investigators, and only investigators, sign records electronically', () => {
    expect(rolesAllowed('sign-record')).toEqual(['investigator']);
  });

  it('lets a scoped API key do only what both its role and its scopes allow', () => {
    const lab = aPrincipal({ role: 'site_coordinator', scopes: ['submit-clinical-data'] });
    expect(can(lab, 'submit-clinical-data')).toBe(true);
    expect(can(lab, 'read-patient')).toBe(false);
    expect(assertPermission(lab, 'read-patient')).toMatchObject({ rule: 'api-key-scope' });
  });

  it('lets monitors, and only monitors, raise queries and verify source data', () => {
    expect(rolesAllowed('raise-query')).toEqual(['monitor']);
    expect(rolesAllowed('verify-source-data')).toEqual(['monitor']);
  });

  it('lets site coordinators answer the queries raised at their site', () => {
    expect(rolesAllowed('answer-query')).toEqual(['site_coordinator', 'investigator']);
  });

  it('lets the site, monitors and auditors read patient records', () => {
    expect(rolesAllowed('read-patient')).toEqual(['site_coordinator', 'investigator', 'monitor', 'auditor']);
  });

  it('keeps monitoring views to monitors and auditors', () => {
    expect(rolesAllowed('read-monitoring')).toEqual(['monitor', 'auditor']);
  });

  it('gives blinded analysis to statisticians, the safety board and auditors', () => {
    expect(rolesAllowed('read-analysis-blinded')).toEqual(['blinded_statistician', 'unblinded_statistician', 'safety_board', 'auditor']);
  });

  it('never gives a blinded statistician unblinded analysis or the allocation', () => {
    const statistician = aPrincipal({ role: 'blinded_statistician' });
    expect(can(statistician, 'read-analysis-unblinded')).toBe(false);
    expect(can(statistician, 'read-allocation')).toBe(false);
    expect(isBlinded(statistician)).toBe(true);
  });

  it('treats only unblinded statisticians, the safety board and auditors as unblinded', () => {
    expect(ROLES.filter((role) => !isBlinded(aPrincipal({ role })))).toEqual(['unblinded_statistician', 'safety_board', 'auditor']);
    expect(rolesAllowed('read-analysis-unblinded')).toEqual(rolesAllowed('read-allocation'));
  });

  it('keeps sites and monitors blinded', () => {
    expect(isBlinded(coordinator)).toBe(true);
    expect(isBlinded(monitor)).toBe(true);
  });

  it('gives auditors every read and no write', () => {
    const auditor = aPrincipal({ role: 'auditor' });
    const reads = ACTIONS.filter((action) => action.startsWith('read-'));
    expect(reads.filter((action) => !can(auditor, action))).toEqual([]);
    expect(ACTIONS.filter((action) => can(auditor, action) && !action.startsWith('read-'))).toEqual([]);
  });

  it('keeps the audit log to auditors', () => {
    expect(rolesAllowed('read-audit-log')).toEqual(['auditor']);
  });

  it('reserves users, sites, lock and unblinding to the administrator', () => {
    expect(rolesAllowed('administer')).toEqual(['administrator']);
    expect(rolesAllowed('lock-database')).toEqual(['administrator']);
    expect(rolesAllowed('unblind')).toEqual(['administrator']);
  });

  it('does not let an administrator read clinical data or analysis', () => {
    const administrator = aPrincipal({ role: 'administrator' });
    expect(ACTIONS.filter((action) => action.startsWith('read-') && can(administrator, action))).toEqual([]);
  });

  it('lets a site ask for an emergency code-break, and an administrator on its behalf', () => {
    expect(rolesAllowed('code-break')).toEqual(['site_coordinator', 'investigator', 'administrator']);
  });

  it('gives every action to at least one role', () => {
    expect(ACTIONS.filter((action) => PERMISSIONS[action].length === 0)).toEqual([]);
  });
});

describe('authorize', () => {
  it("refuses a coordinator's submission for another site", () => {
    expect(authorize(coordinator, 'submit-clinical-data', 'S02')?.rule).toBe('site-scope');
  });

  it("accepts a coordinator's submission for their own site", () => {
    expect(authorize(coordinator, 'submit-clinical-data', 'S01')).toBeNull();
  });

  it('reports a missing permission before looking at the site', () => {
    expect(authorize(monitor, 'submit-clinical-data', 'S02')).toEqual({
      rule: 'permission',
      field: 'role',
      message: 'the monitor role does not permit submit-clinical-data',
    });
  });

  it('checks only the permission when the data belongs to no site', () => {
    expect(authorize(aPrincipal({ role: 'unblinded_statistician' }), 'read-analysis-unblinded')).toBeNull();
    expect(assertPermission(monitor, 'unblind')?.rule).toBe('permission');
  });

  it('lets a monitor raise a query at an assigned site but not at another', () => {
    expect(authorize(monitor, 'raise-query', 'S03')).toBeNull();
    expect(authorize(monitor, 'raise-query', 'S02')?.rule).toBe('site-scope');
  });
});
