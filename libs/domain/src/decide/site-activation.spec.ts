import { siteDecider } from '../deciders';
import { evolveSite, initialSiteState } from '../site-state';
import { acceptedEvent, context, expectViolation, given } from '../testing';
import { decideSiteActivation } from './site-activation';

const activation = (overrides = {}) => ({
  occurredAt: '2024-01-02',
  siteId: 'ZH01',
  name: 'University Hospital Zurich',
  country: 'CH',
  ...overrides,
});

describe('decideSiteActivation', () => {
  it('activates a site', () => {
    given(siteDecider)
      .when(activation())
      .then({
        type: 'SiteActivated',
        schemaVersion: 1,
        occurredAt: '2024-01-02',
        data: { siteId: 'ZH01', name: 'University Hospital Zurich', country: 'CH' },
      });
  });

  it('leaves the country out when not given', () => {
    const event = acceptedEvent(decideSiteActivation(initialSiteState, activation({ country: undefined }), context()));
    expect(event.data).toEqual({ siteId: 'ZH01', name: 'University Hospital Zurich' });
  });

  it('refuses to activate a site twice', () => {
    const event = acceptedEvent(decideSiteActivation(initialSiteState, activation(), context()));
    const active = given(siteDecider, event);
    expect(active.state()).toEqual({ siteId: 'ZH01', activated: true, name: 'University Hospital Zurich', country: 'CH' });
    active.when(activation()).thenViolates({ field: 'siteId', rule: 'already-activated' });
  });

  it('wants a plain site id, a name, an ISO country code and a past date', () => {
    expectViolation(decideSiteActivation(initialSiteState, activation({ siteId: 'ZH/01' }), context()), 'siteId', 'invalid-identifier');
    expectViolation(decideSiteActivation(initialSiteState, activation({ name: '' }), context()), 'name', 'required');
    expectViolation(decideSiteActivation(initialSiteState, activation({ country: 'CHE' }), context()), 'country', 'invalid-country');
    expectViolation(
      decideSiteActivation(initialSiteState, activation({ occurredAt: '2025-01-01' }), context()),
      'occurredAt',
      'in-the-future',
    );
  });

  it('takes the site id pattern from the protocol: SITE-A is refused by the first protocol and accepted by one that allows it', () => {
    expectViolation(decideSiteActivation(initialSiteState, activation({ siteId: 'SITE-A' }), context()), 'siteId', 'site-id-pattern');
    const pilotLike = { ...context().protocol, siteIdPattern: '^[A-Z0-9]{2,8}(-[A-Z0-9]{1,8})?$' };
    const event = acceptedEvent(decideSiteActivation(initialSiteState, activation({ siteId: 'SITE-A' }), context({ protocol: pilotLike })));
    expect(event.data.siteId).toBe('SITE-A');
  });

  it('ignores events of other types when folding', () => {
    expect(evolveSite(initialSiteState, { eventId: 'e1', type: 'SomethingElse', data: {}, occurredAt: '2024-01-01' })).toBe(
      initialSiteState,
    );
  });
});
