import { isCatalogued } from './events/catalog';
import { CommittedEvent } from './patient-state';

export interface SiteState {
  siteId: string | null;
  activated: boolean;
  name: string | null;
  country: string | null;
}

export const initialSiteState: SiteState = { siteId: null, activated: false, name: null, country: null };

export const evolveSite = (state: SiteState, event: CommittedEvent): SiteState => {
  if (!isCatalogued(event) || event.type !== 'SiteActivated') return state;
  const data = event.data;
  return { siteId: data.siteId, activated: true, name: data.name, country: data.country ?? null };
};
