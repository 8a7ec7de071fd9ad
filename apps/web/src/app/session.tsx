import { createContext, useContext } from 'react';
import type { SessionUser } from '../api/auth';

export const SessionContext = createContext<SessionUser | null>(null);

export function useUser(): SessionUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('no signed-in user');
  return user;
}

/** Roles that must never see an arm or a masked value (the server decides; pages only pick routes). */
export const BLINDED_ROLES = ['site_coordinator', 'investigator', 'monitor', 'blinded_statistician', 'administrator'];
export const SITE_ROLES = ['site_coordinator', 'investigator'];
export const ANALYSIS_ROLES = ['blinded_statistician', 'unblinded_statistician', 'safety_board'];

export const ROLE_LABELS: Record<string, string> = {
  site_coordinator: 'Site coordinator',
  investigator: 'Investigator',
  monitor: 'Monitor',
  blinded_statistician: 'Blinded statistician',
  unblinded_statistician: 'Unblinded statistician',
  safety_board: 'Safety board',
  auditor: 'Auditor',
  administrator: 'Administrator',
};
