import type { PatientMonitoring, QueryView } from './patient-monitoring';
import { siteIndicators } from './site-indicators';

/** A patient's picture with nothing in it but what a test sets. */
const aPicture = (overrides: Partial<PatientMonitoring>): PatientMonitoring => ({
  patientId: 'ZH01-001',
  siteId: 'ZH01',
  status: 'enrolled',
  consentDate: '2024-01-10',
  randomizationDate: null,
  withdrawalDate: null,
  visits: [],
  visitCounts: { expected: 0, done: 0, due: 0, overdue: 0, missingForms: 0 },
  nextVisit: null,
  overdueVisits: [],
  deviations: [],
  latencies: [],
  adverseEvents: { total: 0, serious: 0 },
  queries: [],
  sourceDataVerification: { verified: 0, eligible: 0 },
  codeBreaks: 0,
  ...overrides,
});

const aQuery = (status: QueryView['status'], ageDays: number): QueryView =>
  ({ queryId: `q-${status}-${ageDays}`, status, ageDays }) as QueryView;

const site = { siteId: 'ZH01', name: 'Zürich' };

describe('a site’s indicators', () => {
  it('counts patients by their status at the date; active means randomized and not withdrawn', () => {
    const indicators = siteIndicators(
      site,
      [
        aPicture({ status: 'enrolled' }),
        aPicture({ status: 'screen_failed' }),
        aPicture({ status: 'randomized', randomizationDate: '2024-01-20' }),
        aPicture({ status: 'withdrawn', randomizationDate: '2024-01-20', withdrawalDate: '2024-03-01' }),
        aPicture({ status: 'withdrawn', withdrawalDate: '2024-01-15' }),
      ],
      '2024-06-01',
    );
    expect(indicators.patients).toEqual({ screened: 5, enrolled: 4, screenFailures: 1, randomized: 2, active: 1, withdrawn: 2 });
  });

  it('summarizes latency over every entry of the site, not over patients’ medians', () => {
    // all entries: 0 0 1 | 10 → median 0.5 (not the median of 0 and 10); p90 at rank 2.7: 1 + 0.7 × 9 = 7.3
    const indicators = siteIndicators(site, [aPicture({ latencies: [0, 0, 1] }), aPicture({ latencies: [10] })], '2024-06-01');
    expect(indicators.dataEntryLatency).toEqual({ count: 4, median: 0.5, p90: 7.3, over5Days: 1 });
  });

  it('adds visits, deviations, adverse events and code-breaks over patients', () => {
    const deviation = {
      patientId: 'ZH01-001',
      code: 'infusion-out-of-window' as const,
      eventIds: ['e'],
      occurredOn: '2024-02-01',
      detail: '',
    };
    const indicators = siteIndicators(
      site,
      [
        aPicture({ visitCounts: { expected: 4, done: 2, due: 1, overdue: 1, missingForms: 6 }, deviations: [deviation], codeBreaks: 2 }),
        aPicture({ visitCounts: { expected: 1, done: 0, due: 0, overdue: 1, missingForms: 2 }, adverseEvents: { total: 2, serious: 1 } }),
      ],
      '2024-06-01',
    );
    expect(indicators.visits).toEqual({ expected: 5, done: 2, due: 1, overdue: 2, missingForms: 8 });
    expect(indicators.deviations.total).toBe(1);
    expect(indicators.deviations.byCode).toEqual({
      'dose-off-by-more-than-10-percent': 0,
      'infusion-out-of-window': 1,
      'limb-temperature-below-32C': 0,
      'visit-out-of-window': 0,
    });
    expect(indicators.adverseEvents).toEqual({ total: 2, serious: 1 });
    expect(indicators.codeBreaks).toEqual({ events: 2, patients: 1 });
  });

  it('counts queries by status with the oldest age, and the share of verified events over the site', () => {
    const indicators = siteIndicators(
      site,
      [
        aPicture({
          queries: [aQuery('open', 3), aQuery('open', 12), aQuery('closed', 2)],
          sourceDataVerification: { verified: 1, eligible: 5 },
        }),
        aPicture({ queries: [aQuery('answered', 4)], sourceDataVerification: { verified: 2, eligible: 3 } }),
      ],
      '2024-06-01',
    );
    expect(indicators.queries).toEqual({
      open: { count: 2, oldestAgeDays: 12 },
      answered: { count: 1, oldestAgeDays: 4 },
      closed: { count: 1, oldestAgeDays: 2 },
      cancelled: { count: 0, oldestAgeDays: null },
    });
    expect(indicators.sourceDataVerification).toEqual({ verified: 3, eligible: 8, share: 0.375 });
  });

  it('reports a site without patients as zeros, with no latency figures and no SDV share', () => {
    const indicators = siteIndicators(site, [], '2024-06-01');
    expect(indicators.patients.screened).toBe(0);
    expect(indicators.dataEntryLatency).toEqual({ count: 0, median: null, p90: null, over5Days: 0 });
    expect(indicators.sourceDataVerification).toEqual({ verified: 0, eligible: 0, share: null });
  });
});
