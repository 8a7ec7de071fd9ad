import { EventDraft } from '../envelope';
import { draftEvent } from '../events/catalog';
import { SiteActivated } from '../events/site';
import { DecisionContext } from '../protocol';
import { accept, Decision, reject } from '../rule-violation';
import { RULE } from '../rules';
import { SiteState } from '../site-state';
import { fieldsOf, Violations } from '../validation';
import { SiteActivationCommand } from './commands';
import { definedOnly } from './entry';

/** Opens a site for enrolment. */
export const decideSiteActivation = (
  state: SiteState,
  command: SiteActivationCommand,
  ctx: DecisionContext,
): Decision<EventDraft<'SiteActivated', SiteActivated>> => {
  const issues = new Violations();
  if (state.activated) {
    issues.add('siteId', RULE.alreadyActivated, `site ${state.siteId} is already active`);
    return reject(issues.list);
  }
  const fields = fieldsOf(command);
  issues.clinicalTime(fields.occurredAt, 'occurredAt', ctx.now, ctx.protocol.allowedClockSkewMinutes);
  const siteId = issues.identifier(fields.siteId, 'siteId');
  if (siteId !== undefined && !new RegExp(ctx.protocol.siteIdPattern).test(siteId)) {
    issues.add('siteId', RULE.siteIdPattern, `siteId must match the protocol's site id pattern ${ctx.protocol.siteIdPattern}`);
  }
  const name = issues.requiredText(fields.name, 'name', 200);
  const country = issues.optionalText(fields.country, 'country', 10);
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
    issues.add('country', RULE.invalidCountry, 'country must be an ISO 3166-1 alpha-2 code such as CH');
  }
  if (issues.any || siteId === undefined || name === undefined) return reject(issues.list);
  return accept(draftEvent('SiteActivated', fields.occurredAt as string, definedOnly<SiteActivated>({ siteId, name, country })));
};
