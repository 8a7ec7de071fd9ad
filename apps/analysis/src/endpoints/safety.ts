import { AdverseEventRecord, StoredPatientRecord } from './patient-record';

/** Relatedness terms that count an adverse event as possibly caused by the treatment. */
const RELATED = new Set(['possible', 'probable', 'definite']);

export interface SafetySummary {
  patients: number;
  patientsWithEvents: number;
  events: number;
  serious: number;
  patientsWithSeriousEvents: number;
  related: number;
  byGrade: Record<'1' | '2' | '3' | '4' | '5', number>;
  byTerm: Array<{ term: string; events: number; patients: number }>;
}

/** Adverse events of a group of patients: counts of events and of patients, by grade and by term. */
export const summarizeSafety = (patients: readonly StoredPatientRecord[]): SafetySummary => {
  const events: Array<AdverseEventRecord & { patientId: string }> = patients.flatMap((patient) =>
    patient.adverseEvents.map((event) => ({ ...event, patientId: patient.patientId })),
  );
  const byGrade: SafetySummary['byGrade'] = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const event of events) byGrade[String(event.grade) as keyof SafetySummary['byGrade']]++;
  const terms = new Map<string, { events: number; patients: Set<string> }>();
  for (const event of events) {
    const term = terms.get(event.term) ?? { events: 0, patients: new Set<string>() };
    term.events++;
    term.patients.add(event.patientId);
    terms.set(event.term, term);
  }
  return {
    patients: patients.length,
    patientsWithEvents: new Set(events.map((event) => event.patientId)).size,
    events: events.length,
    serious: events.filter((event) => event.serious).length,
    patientsWithSeriousEvents: new Set(events.filter((event) => event.serious).map((event) => event.patientId)).size,
    related: events.filter((event) => RELATED.has(event.relatedness)).length,
    byGrade,
    byTerm: [...terms]
      .map(([term, counts]) => ({ term, events: counts.events, patients: counts.patients.size }))
      .sort((a, b) => b.events - a.events || (a.term < b.term ? -1 : 1)),
  };
};
