import { CheckpointsSection } from './CheckpointsSection';
import { ExportsSection } from './ExportsSection';
import { VerificationSection } from './VerificationSection';

/** Verification of the whole log and every read model, the recorded checkpoints, and the exports to download. */
export function VerifyPage() {
  return (
    <>
      <h1>Verification and exports</h1>
      <VerificationSection />
      <CheckpointsSection />
      <ExportsSection />
    </>
  );
}
