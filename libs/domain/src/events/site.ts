/** Trial-level facts about a site; they live on the stream `site-<siteId>`. */
export interface SiteActivated {
  siteId: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}
