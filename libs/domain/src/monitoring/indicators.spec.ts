import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { decideVoid } from '../decide/void';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '../protocol';
import { infusionCommand, labResultCommand, aMonitoredPatient, at } from '../testing';
import { decideAnswerQuery, decideCancelQuery, decideCloseQuery, decideRaiseQuery, decideReopenQuery } from './decide-query';
import { decideSourceDataVerification } from './decide-verification';
import { dataEntryLatency, latencySummary, queryAge, queryStatusAt, sdvCountsOf, sdvShare } from './indicators';

describe('dataEntryLatency', () => {
  it('counts whole calendar days from a date-only clinical date to the UTC date of recording', () => {
    expect(dataEntryLatency('2024-02-01', '2024-02-01T23:59:00Z')).toBe(0);
    expect(dataEntryLatency('2024-02-01', '2024-02-06T00:00:00.000Z')).toBe(5);
    expect(dataEntryLatency('2024-02-01', '2024-02-07T08:00:00Z')).toBe(6);
    expect(dataEntryLatency('2024-02-28', '2024-03-01T08:00:00Z')).toBe(2);
  });

  it('dates the recording in the site zone when the clinical time carries an offset', () => {
    // 03:30 UTC on 02-02 is 22:30 on 02-01 in New York: entered the same evening
    expect(dataEntryLatency('2024-02-01T22:00:00-05:00', '2024-02-02T03:30:00Z')).toBe(0);
    // 15:00 UTC on 02-03 is 01:00 on 02-04 in Sydney
    expect(dataEntryLatency('2024-02-01T09:00:00+10:00', '2024-02-03T15:00:00Z')).toBe(3);
    // whole days, not 24-hour periods
    expect(dataEntryLatency('2024-02-01T10:00:00Z', '2024-02-02T09:00:00Z')).toBe(1);
  });

  it('is never negative (a date-only entry of today east of UTC)', () => {
    expect(dataEntryLatency('2024-02-02', '2024-02-01T20:00:00Z')).toBe(0);
  });

  it('refuses times that are not clinical times, and a recording time without time of day', () => {
    expect(() => dataEntryLatency('01.02.2024', '2024-02-01T20:00:00Z')).toThrow(RangeError);
    expect(() => dataEntryLatency('2024-02-01', '2024-02-01')).toThrow(RangeError);
  });
});

describe('latencySummary', () => {
  it('summarizes nothing as no median and no percentile', () => {
    expect(latencySummary([])).toEqual({ count: 0, median: null, p90: null, over5Days: 0 });
  });

  it('gives the median, the 90th percentile by linear interpolation (type 7) and the count over 5 days', () => {
    // sorted: 0 1 2 3 4 5 6 7 8 30; median between 4 and 5; p90 at rank 0.9 × 9 = 8.1: 8 + 0.1 × (30 − 8)
    expect(latencySummary([30, 8, 0, 1, 2, 3, 4, 5, 6, 7])).toEqual({ count: 10, median: 4.5, p90: 10.2, over5Days: 4 });
    // rank 0.9 × 4 = 3.6: 3 + 0.6 × (10 − 3) = 7.2, without binary noise
    expect(latencySummary([0, 1, 2, 3, 10])).toEqual({ count: 5, median: 2, p90: 7.2, over5Days: 1 });
  });

  it('counts only latencies over 5 days, not 5 itself', () => {
    expect(latencySummary([5, 6])).toEqual({ count: 2, median: 5.5, p90: 5.9, over5Days: 1 });
    expect(latencySummary([3])).toEqual({ count: 1, median: 3, p90: 3, over5Days: 0 });
  });

  it('leaves its input unsorted', () => {
    const latencies = [3, 1, 2];
    latencySummary(latencies);
    expect(latencies).toEqual([3, 1, 2]);
  });

  it('refuses a negative or non-numeric latency', () => {
    expect(() => latencySummary([1, -1])).toThrow(RangeError);
    expect(() => latencySummary([Number.NaN])).toThrow(RangeError);
  });
});

describe('queryStatusAt and queryAge', () => {
  type Patient = ReturnType<typeof aMonitoredPatient>;
  const queryWith = (...steps: [string, (patient: Patient, time: string) => void][]) => {
    const patient = aMonitoredPatient();
    const infusionId = patient.clinical.record(decideInfusion, infusionCommand());
    patient.act(
      decideRaiseQuery,
      { queryId: 'q-1', targetEventId: infusionId, field: 'cycle', text: 'Cycle?' },
      at('2024-06-03T08:00:00Z'),
    );
    for (const [time, act] of steps) act(patient, time);
    return patient.state.queries['q-1'];
  };
  const answer = (patient: Patient, time: string) => patient.act(decideAnswerQuery, { queryId: 'q-1', text: 'ok' }, at(time));
  const close = (patient: Patient, time: string) => patient.act(decideCloseQuery, { queryId: 'q-1' }, at(time));
  const reopen = (patient: Patient, time: string) => patient.act(decideReopenQuery, { queryId: 'q-1', text: 'again' }, at(time));
  const cancel = (patient: Patient, time: string) => patient.act(decideCancelQuery, { queryId: 'q-1', reason: 'r' }, at(time));

  const lifecycle = () =>
    queryWith(
      ['2024-06-04T09:00:00Z', answer],
      ['2024-06-05T10:00:00Z', reopen],
      ['2024-06-06T11:00:00Z', answer],
      ['2024-06-07T23:30:00Z', close],
    );

  it('replays the status a query had at the end of each day', () => {
    const query = lifecycle();
    expect(
      ['2024-06-02', '2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07', '2024-06-30'].map((asOf) =>
        queryStatusAt(query, asOf),
      ),
    ).toEqual([null, 'open', 'answered', 'open', 'answered', 'closed', 'closed']);
  });

  it('ages a query in calendar days from its raising until asOf, or until it was closed', () => {
    const query = lifecycle();
    expect(['2024-06-02', '2024-06-03', '2024-06-05', '2024-06-07', '2024-06-30'].map((asOf) => queryAge(query, asOf))).toEqual([
      null,
      0,
      2,
      4,
      4,
    ]);
  });

  it('ages a re-opened query again from its raising', () => {
    const query = queryWith(['2024-06-04T09:00:00Z', answer], ['2024-06-05T09:00:00Z', close], ['2024-06-10T09:00:00Z', reopen]);
    expect([queryStatusAt(query, '2024-06-08'), queryAge(query, '2024-06-08')]).toEqual(['closed', 2]);
    expect([queryStatusAt(query, '2024-06-12'), queryAge(query, '2024-06-12')]).toEqual(['open', 9]);
  });

  it('stops ageing a cancelled query at its cancellation', () => {
    const query = queryWith(['2024-06-06T09:00:00Z', cancel]);
    expect([queryStatusAt(query, '2024-06-20'), queryAge(query, '2024-06-20')]).toEqual(['cancelled', 3]);
  });

  it('accepts a date-time asOf, taking its date as written', () => {
    expect(queryAge(lifecycle(), '2024-06-05T00:30:00+02:00')).toBe(2);
  });
});

describe('sdvShare', () => {
  it('is the verified fraction of the eligible events', () => {
    expect(sdvShare(3, 4)).toBe(0.75);
    expect(sdvShare(0, 5)).toBe(0);
    expect(sdvShare(5, 5)).toBe(1);
  });

  it('is undefined (null) without eligible events', () => {
    expect(sdvShare(0, 0)).toBeNull();
  });

  it('refuses counts that cannot be counts', () => {
    expect(() => sdvShare(5, 4)).toThrow(RangeError);
    expect(() => sdvShare(-1, 4)).toThrow(RangeError);
    expect(() => sdvShare(1.5, 4)).toThrow(RangeError);
  });
});

describe('sdvCountsOf', () => {
  it('counts monitored events that are not voided or masked, and those still verified', () => {
    const patient = aMonitoredPatient();
    const infusion = patient.clinical.record(decideInfusion, infusionCommand());
    const igm = patient.clinical.record(decideLabResult, labResultCommand());
    patient.clinical.record(decideLabResult, labResultCommand({ analyte: 'CD19', value: 0, unit: 'cells/µL' }));
    const wrong = patient.clinical.record(decideLabResult, labResultCommand({ value: 3 }));
    patient.clinical.record(decideVoid, {
      occurredAt: '2024-02-03',
      voidedEventId: wrong,
      voidedType: 'LabResulted',
      reason: 'wrong patient',
    });
    patient.act(decideRaiseQuery, { queryId: 'q-1', targetEventId: igm, field: 'value', text: 'x' });
    patient.act(decideSourceDataVerification, { targetEventId: 'evt-1' });
    patient.act(decideSourceDataVerification, { targetEventId: infusion, fields: ['administeredDoseMg'] });

    // eligible: enrolment, randomization, infusion, IgM; not the CD19 result, the voided lab, the void or the monitoring events
    expect(sdvCountsOf(patient.state, ANTI_MAG_RITUXIMAB_PROTOCOL)).toEqual({ verified: 2, eligible: 4 });

    patient.clinical.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: infusion,
      correctedType: 'InfusionGiven',
      reason: 'pharmacy log',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 700 },
    });
    const counts = sdvCountsOf(patient.state, ANTI_MAG_RITUXIMAB_PROTOCOL);
    expect(counts).toEqual({ verified: 1, eligible: 4 });
    expect(sdvShare(counts.verified, counts.eligible)).toBe(0.25);
  });

  it('drops a verified event from both counts when it is voided', () => {
    const patient = aMonitoredPatient();
    const igm = patient.clinical.record(decideLabResult, labResultCommand());
    patient.act(decideSourceDataVerification, { targetEventId: igm });
    expect(sdvCountsOf(patient.state, ANTI_MAG_RITUXIMAB_PROTOCOL)).toEqual({ verified: 1, eligible: 3 });
    patient.clinical.record(decideVoid, {
      occurredAt: '2024-02-03',
      voidedEventId: igm,
      voidedType: 'LabResulted',
      reason: 'wrong patient',
    });
    expect(sdvCountsOf(patient.state, ANTI_MAG_RITUXIMAB_PROTOCOL)).toEqual({ verified: 0, eligible: 2 });
  });
});
