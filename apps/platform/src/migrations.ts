import { AUTH_MIGRATIONS } from '@trialstream/auth';
import { EVENT_STORE_MIGRATIONS } from '@trialstream/event-store';

/** Every schema of the platform, in one database; each app migrates all of it, so any may start first. */
export const PLATFORM_MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...AUTH_MIGRATIONS];
