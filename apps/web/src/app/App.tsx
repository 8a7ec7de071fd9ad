import { ReactNode, useEffect, useMemo, useState } from 'react';
import { logout, restoreSession, SessionUser } from '../api/auth';
import { AdminPage } from '../pages/admin/AdminPage';
import { AnalysisPage } from '../pages/analysis/AnalysisPage';
import { AsOfPage } from '../pages/audit/AsOfPage';
import { AuditLogPage } from '../pages/audit/AuditLogPage';
import { AuditPatientPage } from '../pages/audit/AuditPatientPage';
import { VerifyPage } from '../pages/audit/VerifyPage';
import { Login } from '../pages/login/Login';
import { SdvPage } from '../pages/monitor/SdvPage';
import { SiteDetailPage } from '../pages/monitor/SiteDetailPage';
import { SitesOverviewPage } from '../pages/monitor/SitesOverviewPage';
import { PatientPage } from '../pages/patient/PatientPage';
import { QueryInboxPage } from '../pages/site/QueryInboxPage';
import { SiteHomePage } from '../pages/site/SiteHomePage';
import { Link, match, navigate, usePath } from './router';
import { ANALYSIS_ROLES, ROLE_LABELS, SessionContext, SITE_ROLES } from './session';

interface NavItem {
  to: string;
  label: string;
}

function navFor(user: SessionUser): NavItem[] {
  const site = user.siteIds[0];
  if (SITE_ROLES.includes(user.role)) {
    return site
      ? [
          { to: `/app/site/${site}`, label: 'Subjects' },
          { to: `/app/site/${site}/queries`, label: 'Query inbox' },
        ]
      : [];
  }
  switch (user.role) {
    case 'monitor':
      return [
        { to: '/app/monitor', label: 'Sites overview' },
        ...user.siteIds.map((id) => ({ to: `/app/monitor/sites/${id}`, label: `Site ${id}` })),
      ];
    case 'auditor':
      return [
        { to: '/app/audit', label: 'Audit log' },
        { to: '/app/audit/as-of', label: 'As of a date' },
        { to: '/app/audit/verify', label: 'Verification and exports' },
        { to: '/app/monitor', label: 'Sites overview' },
      ];
    case 'administrator':
      return [{ to: '/app/admin', label: 'Administration' }];
    default:
      return ANALYSIS_ROLES.includes(user.role) ? [{ to: '/app/analysis', label: 'Endpoints and safety' }] : [];
  }
}

const ROUTES: Array<[string, (params: Record<string, string>) => ReactNode]> = [
  ['/app/site/:siteId', ({ siteId }) => <SiteHomePage siteId={siteId} />],
  ['/app/site/:siteId/queries', ({ siteId }) => <QueryInboxPage siteId={siteId} />],
  ['/app/patients/:patientId', ({ patientId }) => <PatientPage patientId={patientId} />],
  ['/app/monitor', () => <SitesOverviewPage />],
  ['/app/monitor/sites/:siteId', ({ siteId }) => <SiteDetailPage siteId={siteId} />],
  ['/app/monitor/sites/:siteId/sdv', ({ siteId }) => <SdvPage siteId={siteId} />],
  ['/app/analysis', () => <AnalysisPage />],
  ['/app/audit', () => <AuditLogPage />],
  ['/app/audit/patients/:patientId', ({ patientId }) => <AuditPatientPage patientId={patientId} />],
  ['/app/audit/as-of', () => <AsOfPage />],
  ['/app/audit/verify', () => <VerifyPage />],
  ['/app/admin', () => <AdminPage />],
];

export function App() {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const { path } = usePath();

  useEffect(() => {
    void restoreSession().then(setUser);
    const signedOut = () => setUser(null);
    window.addEventListener('trialstream:signed-out', signedOut);
    return () => window.removeEventListener('trialstream:signed-out', signedOut);
  }, []);

  const nav = useMemo(() => (user ? navFor(user) : []), [user]);
  useEffect(() => {
    if (user && (path === '/' || path === '/app' || path === '/app/') && nav[0]) navigate(nav[0].to);
  }, [user, path, nav]);

  if (user === undefined) return <p role="status">Loading…</p>;
  if (user === null) return <Login onSignedIn={setUser} />;

  const page = ROUTES.map(([pattern, render]) => {
    const params = match(pattern, path);
    return params ? render(params) : null;
  }).find(Boolean);

  return (
    <SessionContext.Provider value={user}>
      <div className="shell">
        <aside className="sidebar">
          <p className="brand">trialstream</p>
          <p className="who">
            {user.name}
            <br />
            {ROLE_LABELS[user.role] ?? user.role}
            {user.siteIds.length > 0 && ` · ${user.siteIds.join(', ')}`}
          </p>
          <nav aria-label="Main">
            <ul>
              {nav.map((item) => (
                <li key={item.to}>
                  <Link to={item.to}>{item.label}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <p>
            <button type="button" className="secondary" onClick={() => void logout().then(() => setUser(null))}>
              Sign out
            </button>
          </p>
        </aside>
        <main>{page ?? <p>Nothing here. Choose a page on the left.</p>}</main>
      </div>
    </SessionContext.Provider>
  );
}
