import { get } from '../../api/client';
import { useApi } from '../../app/use-api';
import { Table } from '../../components/Table';
import { ErrorBox, Section } from '../../components/ui';

interface Allocation {
  loaded: boolean;
  source: string | null;
  loadedAt: string | null;
  kits: number;
  strata: Array<{ stratum: string; kits: number; reserved: number; dispensed: number }>;
}

/** The allocation list as counts per stratum: never an arm. */
export function AllocationSection() {
  const allocation = useApi(() => get<Allocation>('/allocation'), [], { live: true });
  const list = allocation.data;
  return (
    <Section title="Allocation list">
      <ErrorBox error={allocation.error} />
      {list &&
        (list.loaded ? (
          <Table
            testId="allocation"
            caption={
              <>
                {list.kits} kits, {list.source} on {list.loadedAt?.slice(0, 10)} (counts only)
              </>
            }
            columns={['Stratum', 'Kits', 'Reserved', 'Dispensed']}
            rows={list.strata}
            rowKey={(stratum) => stratum.stratum}
            cells={(stratum) => [stratum.stratum, stratum.kits, stratum.reserved, stratum.dispensed]}
          />
        ) : (
          <p>No allocation list loaded.</p>
        ))}
    </Section>
  );
}
