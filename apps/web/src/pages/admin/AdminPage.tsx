import { AllocationSection } from './AllocationSection';
import { ProtocolSection } from './ProtocolSection';
import { SitesSection } from './SitesSection';
import { TrialSection } from './TrialSection';
import { UsersSection } from './UsersSection';

/**
 * Users (with the activation code to hand over), sites, protocol, allocation list (counts only), and the
 * trial's steps. Each part loads on its own: one the role may not read (the registry's site list) leaves
 * the rest working.
 */
export function AdminPage() {
  return (
    <>
      <h1>Administration</h1>
      <UsersSection />
      <SitesSection />
      <ProtocolSection />
      <AllocationSection />
      <TrialSection />
    </>
  );
}
