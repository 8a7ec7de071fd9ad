import { Section, Stat, Stats } from '../../components/ui';
import type { PatientState } from '../../domain';

export function PatientSummary({ state }: { state: PatientState }) {
  return (
    <Section title="Summary">
      <Stats>
        <Stat label="Status" testId="patient-status">
          {state.status.replace('_', ' ')}
        </Stat>
        <Stat label="Site">{state.siteId}</Stat>
        <Stat label="Consent">{state.consentDate ?? '–'}</Stat>
        <Stat label="Randomized">{state.randomizedAt?.slice(0, 10) ?? '–'}</Stat>
        <Stat label="Infusions">{state.infusions.filter((infusion) => !infusion.voided).length}</Stat>
      </Stats>
    </Section>
  );
}
