import { draftEvent, type EventDraft, type EventEnvelope } from '@trialstream/domain';
import { enrolment, labResult, randomization } from '@trialstream/projections/testing/patient-stories';
import { envelopesOf } from '@trialstream/domain/testing';
import { patientAuditHistory } from './patient-audit-history';
import { patientRecordAsOf } from './patient-record-as-of';

const igm = (value: number) => ({ analyte: 'IGM' as const, value, unit: 'g/L', qualifier: '=' as const });
const correction = (target: EventEnvelope, value: number, reason: string): EventDraft =>
  draftEvent(
    'EntryCorrected',
    target.occurredAt,
    { correctedEventId: target.eventId, correctedType: 'LabResulted', reason, data: igm(value) },
    { eventId: target.eventId, reason },
  );
const voiding = (target: EventEnvelope, reason: string): EventDraft =>
  draftEvent(
    'EntryVoided',
    target.occurredAt,
    { voidedEventId: target.eventId, voidedType: 'LabResulted', reason },
    { eventId: target.eventId, reason },
  );

/** A patient whose first IgM result is corrected twice and whose second one is voided. */
function aCorrectedStream() {
  const stream = 'patient-ZH01-007';
  const [enrolled, randomized, first, second] = envelopesOf(stream, 'ZH01', [
    enrolment('ZH01', '007'),
    randomization(),
    labResult(12.5),
    labResult(3),
  ]);
  const [fixed] = envelopesOf(stream, 'ZH01', [correction(first, 1.25, 'decimal point misplaced')], 5);
  const [voided] = envelopesOf(stream, 'ZH01', [voiding(second, 'sample of another patient')], 6);
  const [fixedAgain] = envelopesOf(stream, 'ZH01', [correction(first, 1.35, 'lab re-issued the report')], 7);
  return { events: [enrolled, randomized, first, second, fixed, voided, fixedAgain], first, second, fixed, voided, fixedAgain };
}

describe("a patient's audit history", () => {
  const story = aCorrectedStream();
  const history = patientAuditHistory('ZH01-007', story.events);

  it('lists each entry once, in recording order, with who, where and when', () => {
    expect(history).toMatchObject({ patientId: 'ZH01-007', siteId: 'ZH01', streamVersion: 7 });
    expect(history.entries.map((entry) => entry.type)).toEqual(['PatientEnrolled', 'PatientRandomized', 'LabResulted', 'LabResulted']);
    expect(history.entries[2]).toMatchObject({
      eventId: story.first.eventId,
      who: { userId: 'coordinator-1', role: 'site_coordinator' },
      siteId: 'ZH01',
      occurredAt: story.first.occurredAt,
      recordedAt: story.first.recordedAt,
      data: igm(12.5),
    });
  });

  it('puts every correction under the entry it corrects, oldest first, with the reason and the value as corrected', () => {
    const [, , first] = history.entries;
    expect(first.amendments.map(({ kind, eventId, reason, data }) => ({ kind, eventId, reason, data }))).toEqual([
      { kind: 'correction', eventId: story.fixed.eventId, reason: 'decimal point misplaced', data: igm(1.25) },
      { kind: 'correction', eventId: story.fixedAgain.eventId, reason: 'lab re-issued the report', data: igm(1.35) },
    ]);
    expect(first).toMatchObject({ status: 'corrected', data: igm(12.5), current: { data: igm(1.35) } });
  });

  it('puts a void under its entry and leaves the entry with no current value', () => {
    const [, , , second] = history.entries;
    expect(second.amendments).toEqual([
      expect.objectContaining({ kind: 'void', eventId: story.voided.eventId, reason: 'sample of another patient', data: null }),
    ]);
    expect(second).toMatchObject({ status: 'voided', current: null, data: igm(3) });
  });
});

describe("a patient's record as of a moment", () => {
  const story = aCorrectedStream();

  it('holds the original value before the correction and the corrected one after it', () => {
    const before = patientRecordAsOf('ZH01-007', story.events.slice(0, 4));
    const after = patientRecordAsOf('ZH01-007', story.events.slice(0, 5));
    const entryOf = (record: ReturnType<typeof patientRecordAsOf>) => record.entries.find((entry) => entry.eventId === story.first.eventId);
    expect(entryOf(before)).toMatchObject({ data: igm(12.5), correctedBy: null, voided: false });
    expect(entryOf(after)).toMatchObject({ data: igm(1.25), correctedBy: story.fixed.eventId });
    expect(after).toMatchObject({
      status: 'randomized',
      kitNumber: 'K-0001',
      streamVersion: 5,
      lastGlobalPosition: story.fixed.globalPosition,
    });
  });

  it('shows the entries only, with voids applied, not the amendments as entries of their own', () => {
    const record = patientRecordAsOf('ZH01-007', story.events);
    expect(record.entries.map((entry) => [entry.type, entry.voided])).toEqual([
      ['PatientEnrolled', false],
      ['PatientRandomized', false],
      ['LabResulted', false],
      ['LabResulted', true],
    ]);
  });

  it('is the record of a patient not yet enrolled before the first event', () => {
    expect(patientRecordAsOf('ZH01-007', [])).toMatchObject({
      status: 'not_enrolled',
      entries: [],
      streamVersion: 0,
      lastGlobalPosition: null,
    });
  });
});
