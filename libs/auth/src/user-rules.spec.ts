import { ROLES } from '@trialstream/domain';
import { NewUser, validateNewUser } from './user-rules';

const aNewUser = (overrides: Partial<NewUser> = {}): NewUser => ({
  name: 'Alice',
  role: 'site_coordinator',
  siteIds: ['S01'],
  ...overrides,
});
const rulesBroken = (overrides: Partial<NewUser>): string[] => validateNewUser(aNewUser(overrides)).map((v) => `${v.field}:${v.rule}`);

describe('new users', () => {
  it('accepts a coordinator with one site', () => {
    expect(validateNewUser(aNewUser())).toEqual([]);
  });

  it('refuses a coordinator with two sites or none', () => {
    expect(rulesBroken({ siteIds: ['S01', 'S02'] })).toEqual(['siteIds:exactly-one-site']);
    expect(rulesBroken({ siteIds: [] })).toEqual(['siteIds:exactly-one-site']);
  });

  it('accepts a monitor with several sites and refuses one with none', () => {
    expect(rulesBroken({ role: 'monitor', siteIds: ['S01', 'S02'] })).toEqual([]);
    expect(rulesBroken({ role: 'monitor', siteIds: [] })).toEqual(['siteIds:at-least-one-site']);
  });

  it.each(ROLES.filter((role) => role !== 'site_coordinator' && role !== 'investigator' && role !== 'monitor'))(
    'gives a %s no site assignment',
    (role) => {
      expect(rulesBroken({ role, siteIds: [] })).toEqual([]);
      expect(rulesBroken({ role, siteIds: ['S01'] })).toEqual(['siteIds:no-sites']);
    },
  );

  it('refuses an unknown role, naming the roles there are', () => {
    const [problem] = validateNewUser(aNewUser({ role: 'nurse' }));
    expect(problem).toMatchObject({ field: 'role', rule: 'one-of' });
    expect(problem.message).toContain('site_coordinator, investigator, monitor');
  });

  it('refuses an empty name, a listed-twice site and a malformed site id', () => {
    expect(rulesBroken({ name: '  ' })).toEqual(['name:required']);
    expect(rulesBroken({ role: 'monitor', siteIds: ['S01', 'S01'] })).toEqual(['siteIds:unique']);
    expect(rulesBroken({ siteIds: ['S 01'] })).toEqual(['siteIds[0]:site-id-format']);
  });
});
