import { clinicalTimeOf } from '../clinical-time';
import { DEVIATION_CODES, DeviationCode } from '../events/deviation';
import { flaggedDeviationsOf, RecordedEvent } from './forms';
import { VisitStatusReport } from './visit-status';

export const VISIT_OUT_OF_WINDOW = 'visit-out-of-window';

/** The deviations a monitor sees: those flagged on events when decided, and visits out of window. */
export type MonitoringDeviationCode = DeviationCode | typeof VISIT_OUT_OF_WINDOW;

export interface ProtocolDeviation {
  code: MonitoringDeviationCode;
  /** The events behind it: the flagged event, or the forms of a visit recorded outside its window. */
  eventIds: readonly string[];
  /** Calendar date of the (earliest) event. */
  occurredOn: string;
  detail: string;
  /** Set on visit deviations. */
  visitId?: string;
}

const isDeviationCode = (code: unknown): code is DeviationCode => (DEVIATION_CODES as readonly unknown[]).includes(code);

/**
 * The deviations flagged on an event as it stands now (dose more than 10% off, infusion out of
 * window, limb below 32 °C): read from the event, never recomputed, so the monitor sees what the
 * protocol rules decided when the data was entered (or corrected). A voided event has none.
 */
export const protocolDeviationsOf = (event: RecordedEvent): ProtocolDeviation[] => {
  if (event.voided) return [];
  const occurredOn = clinicalTimeOf(event.occurredAt).date;
  return flaggedDeviationsOf(event)
    .filter((deviation) => isDeviationCode(deviation.code))
    .map((deviation) => ({ code: deviation.code, eventIds: [event.eventId], occurredOn, detail: deviation.detail }));
};

/**
 * One deviation per assessment visit with forms recorded outside its window, naming those forms.
 * Infusion timing is not re-judged here: it is the `infusion-out-of-window` flag on the infusion.
 */
export const visitWindowDeviations = (visits: readonly VisitStatusReport[]): ProtocolDeviation[] =>
  visits.flatMap((visit) => {
    if (visit.kind !== 'assessment') return [];
    const late = visit.recordedForms.filter((form) => !form.inWindow);
    if (late.length === 0) return [];
    const dates = late.map((form) => form.occurredOn).sort();
    return [
      {
        code: VISIT_OUT_OF_WINDOW,
        eventIds: late.map((form) => form.eventId),
        occurredOn: dates[0],
        detail:
          `${visit.label}: ${late.map((form) => `${form.form} on ${form.occurredOn}`).join(', ')}; ` +
          `window ${visit.windowStart} to ${visit.windowEnd}`,
        visitId: visit.visitId,
      },
    ];
  });
