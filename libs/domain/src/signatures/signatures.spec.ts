import { createHash } from 'node:crypto';
import { decideCorrection } from '../decide/correction';
import { decideLabResult } from '../decide/lab-result';
import { decideVoid } from '../decide/void';
import { monitoredPatientStateFrom } from '../monitoring/monitoring-state';
import { aPatient, anEnrolledPatient, context, labResultCommand, PatientFixture, violationsOf } from '../testing';
import { decideSignature, SignCommand } from './decide-signature';
import { RecordSigned, SignatureScope } from './events';
import { SignatureRecord, signaturesInOrder } from './signature-status';

const digest = (content: string) => createHash('sha256').update(content).digest('hex');
const signer = { userId: 'u-inv', username: 'dr.inv', printedName: 'Dr Inv', role: 'investigator' };
const ctx = { ...context(), digest };

const command = (patient: PatientFixture, scope: SignatureScope, signatureId = 'sig-1'): SignCommand => ({
  signatureId,
  meaning: 'approval',
  scope,
  signer,
  streamVersion: patient.events.length,
});

/** Signs and commits; returns the signature as the fold sees it now. */
const sign = (patient: PatientFixture, scope: SignatureScope, signatureId = 'sig-1'): RecordSigned => {
  const decision = decideSignature(patient.state, command(patient, scope, signatureId), ctx);
  if (!decision.ok) throw new Error(JSON.stringify(decision.violations));
  patient.commit(decision.events[0]);
  return decision.events[0].data;
};

const signatures = (patient: PatientFixture): SignatureRecord[] => signaturesInOrder(monitoredPatientStateFrom(patient.events).signatures);
const lab = (patient: PatientFixture, overrides: Parameters<typeof labResultCommand>[0]) =>
  patient.record(decideLabResult, labResultCommand(overrides));

describe('electronic signatures', () => {
  describe('signing', () => {
    it('signs a visit: the events filling its forms, the stream version and a SHA-256 of their content', () => {
      const patient = anEnrolledPatient();
      const screeningLab = lab(patient, { occurredAt: '2024-01-12' });
      const signed = sign(patient, { kind: 'visit', visit: 'screening' });
      expect(signed).toMatchObject({
        meaning: 'approval',
        signer,
        signedAt: ctx.now.toISOString(),
        signedStreamVersion: 2,
        coverage: { eventIds: [screeningLab], windowStart: '2024-01-10', windowEnd: '2024-02-07' },
        contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('refuses a visit the schedule does not have, and a visit without data', () => {
      const patient = anEnrolledPatient();
      expect(violationsOf(decideSignature(patient.state, command(patient, { kind: 'visit', visit: 'month-99' }), ctx))).toEqual([
        expect.objectContaining({ field: 'scope.visit', rule: 'known-visit' }),
      ]);
      expect(violationsOf(decideSignature(patient.state, command(patient, { kind: 'visit', visit: 'screening' }), ctx))).toEqual([
        expect.objectContaining({ field: 'scope.visit', rule: 'nothing-to-sign' }),
      ]);
    });

    it('hashes what a blinded signer sees: a masked value is not in the hash, so the hash reveals nothing of it', () => {
      const hashWith = (value: number) => {
        const patient = anEnrolledPatient();
        lab(patient, { occurredAt: '2024-01-12', analyte: 'CD19', value, unit: 'cells/µL' });
        return sign(patient, { kind: 'casebook' }).contentHash;
      };
      expect(hashWith(3)).toBe(hashWith(250));
    });
  });

  describe('invalidation', () => {
    it('invalidates a visit signature by a correction of a signed value, naming the correction', () => {
      const patient = anEnrolledPatient();
      const signedLab = lab(patient, { occurredAt: '2024-01-12' });
      sign(patient, { kind: 'visit', visit: 'screening' });
      const correction = patient.record(decideCorrection, {
        occurredAt: '2024-01-12',
        correctedEventId: signedLab,
        correctedType: 'LabResulted',
        reason: 'typo',
        data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
      } as never);
      expect(signatures(patient)).toEqual([
        expect.objectContaining({
          status: 'invalidated',
          invalidatedBy: { eventId: correction, type: 'EntryCorrected', occurredAt: '2024-01-12' },
        }),
      ]);
    });

    it('invalidates a visit signature by new data of one of its forms within its window, not by data of another visit', () => {
      const patient = anEnrolledPatient();
      lab(patient, { occurredAt: '2024-01-12' });
      sign(patient, { kind: 'visit', visit: 'screening' });
      lab(patient, { occurredAt: '2024-05-01', analyte: 'ANTI_MAG', value: 5000, unit: 'BTU' });
      expect(signatures(patient)[0].status).toBe('valid');
      const inWindow = lab(patient, { occurredAt: '2024-01-20', analyte: 'ANTI_MAG', value: 5000, unit: 'BTU' });
      expect(signatures(patient)[0]).toMatchObject({ status: 'invalidated', invalidatedBy: { eventId: inWindow } });
    });

    it('invalidates a casebook signature by any later data, a void included, but not by a query or another signature', () => {
      const patient = anEnrolledPatient();
      const first = lab(patient, { occurredAt: '2024-01-12' });
      sign(patient, { kind: 'casebook' });
      patient.commit({
        type: 'QueryRaised',
        schemaVersion: 1,
        occurredAt: '2024-06-01T12:00:00Z',
        data: { queryId: 'q1', targetEventId: first, field: 'value', text: 'Sure?' },
      });
      sign(patient, { kind: 'visit', visit: 'screening' }, 'sig-2');
      expect(signatures(patient).map((s) => s.status)).toEqual(['valid', 'valid']);
      const voided = patient.record(decideVoid, {
        occurredAt: '2024-01-12',
        voidedEventId: first,
        voidedType: 'LabResulted',
        reason: 'wrong patient',
      } as never);
      expect(signatures(patient).map((s) => [s.signatureId, s.status, s.invalidatedBy?.eventId])).toEqual([
        ['sig-1', 'invalidated', voided],
        ['sig-2', 'invalidated', voided],
      ]);
    });

    it('keeps an invalidated signature invalidated: signing again is a new signature', () => {
      const patient = aPatient().enrolled();
      lab(patient, { occurredAt: '2024-01-12' });
      sign(patient, { kind: 'casebook' });
      lab(patient, { occurredAt: '2024-01-13', analyte: 'ANTI_MAG', value: 5000, unit: 'BTU' });
      sign(patient, { kind: 'casebook' }, 'sig-2');
      expect(signatures(patient).map((s) => [s.signatureId, s.status])).toEqual([
        ['sig-1', 'invalidated'],
        ['sig-2', 'valid'],
      ]);
    });
  });
});
