import { decideCorrection } from '../decide/correction';
import { decideInfusion } from '../decide/infusion';
import { decideLabResult } from '../decide/lab-result';
import { decideNeurography } from '../decide/neurography';
import { decideVoid } from '../decide/void';
import {
  acceptedEvent,
  expectViolation,
  infusionCommand,
  labResultCommand,
  neurographyCommand,
  violationsOf,
  aMonitoredPatient,
  at,
  MonitoredPatient,
} from '../testing';
import { decideAnswerQuery, decideCancelQuery, decideCloseQuery, decideRaiseQuery, decideReopenQuery } from './decide-query';

const MONITOR_TIME = at('2024-06-03T08:30:00Z');

const withData = () => {
  const patient = aMonitoredPatient();
  const infusionId = patient.clinical.record(decideInfusion, infusionCommand());
  const labId = patient.clinical.record(decideLabResult, labResultCommand());
  return { patient, infusionId, labId };
};

const raise = (patient: MonitoredPatient, targetEventId: string, queryId = 'q-1', field = 'administeredDoseMg'): string =>
  patient.act(decideRaiseQuery, { queryId, targetEventId, field, text: 'Pharmacy log says 700 mg.' }, MONITOR_TIME);

const withOpenQuery = () => {
  const data = withData();
  raise(data.patient, data.infusionId);
  return data;
};

const withAnsweredQuery = () => {
  const data = withOpenQuery();
  data.patient.act(decideAnswerQuery, { queryId: 'q-1', text: 'Confirmed 740 mg.' });
  return data;
};

const withClosedQuery = () => {
  const data = withAnsweredQuery();
  data.patient.act(decideCloseQuery, { queryId: 'q-1' });
  return data;
};

const withCancelledQuery = () => {
  const data = withOpenQuery();
  data.patient.act(decideCancelQuery, { queryId: 'q-1', reason: 'raised on the wrong patient' });
  return data;
};

describe('decideRaiseQuery', () => {
  it('raises a query on a field of an event, timed by the server clock', () => {
    const { patient, infusionId } = withData();
    const command = { queryId: 'q-1', targetEventId: infusionId, field: 'administeredDoseMg', text: 'Please check the dose.' };
    expect(acceptedEvent(decideRaiseQuery(patient.state, command, MONITOR_TIME))).toEqual({
      type: 'QueryRaised',
      schemaVersion: 1,
      occurredAt: '2024-06-03T08:30:00.000Z',
      data: command,
    });
  });

  it('raises queries on lifecycle facts, on the clinical date and on a nerve of a study', () => {
    const { patient } = withData();
    const study = patient.clinical.record(decideNeurography, neurographyCommand());
    const state = patient.state;
    for (const [targetEventId, field] of [
      ['evt-1', 'consentDate'],
      ['evt-2', 'kitNumber'],
      ['evt-1', 'occurredAt'],
      [study, 'nerves[1].snapAmplitudeUv'],
    ]) {
      acceptedEvent(decideRaiseQuery(state, { queryId: 'q-9', targetEventId, field, text: 'Please check.' }, MONITOR_TIME));
    }
  });

  it('rejects a query id that is already used on the patient', () => {
    const { patient, labId } = withOpenQuery();
    const decision = decideRaiseQuery(patient.state, { queryId: 'q-1', targetEventId: labId, field: 'value', text: 'x' }, MONITOR_TIME);
    expectViolation(decision, 'queryId', 'duplicate-query');
  });

  it('rejects an event that is not in the patient record', () => {
    const { patient } = withData();
    const decision = decideRaiseQuery(patient.state, { queryId: 'q-1', targetEventId: 'evt-404', field: 'value', text: 'x' }, MONITOR_TIME);
    expectViolation(decision, 'targetEventId', 'unknown-event');
  });

  it('rejects a field that the target event type does not have', () => {
    const { patient, labId } = withData();
    const decision = decideRaiseQuery(
      patient.state,
      { queryId: 'q-1', targetEventId: labId, field: 'administeredDoseMg', text: 'x' },
      MONITOR_TIME,
    );
    expect(violationsOf(decision)).toEqual([
      { field: 'field', rule: 'unknown-field', message: 'LabResulted has no field administeredDoseMg' },
    ]);
  });

  it('rejects a nerve the study does not have', () => {
    const { patient } = withData();
    const study = patient.clinical.record(decideNeurography, neurographyCommand());
    const decision = decideRaiseQuery(
      patient.state,
      { queryId: 'q-1', targetEventId: study, field: 'nerves[2].nerve', text: 'x' },
      MONITOR_TIME,
    );
    expectViolation(decision, 'field', 'unknown-field');
  });

  it('sends queries on a correction to the entry it corrects, and none on a monitoring event', () => {
    const { patient, labId } = withOpenQuery();
    const correction = patient.clinical.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: labId,
      correctedType: 'LabResulted',
      reason: 'typo',
      data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
    });
    const queryEvent = patient.fixture.events.find((event) => event.type === 'QueryRaised')!.eventId;
    for (const targetEventId of [correction, queryEvent]) {
      const decision = decideRaiseQuery(patient.state, { queryId: 'q-2', targetEventId, field: 'reason', text: 'x' }, MONITOR_TIME);
      expectViolation(decision, 'targetEventId', 'not-queryable');
    }
  });

  it('rejects a voided event', () => {
    const { patient, labId } = withData();
    patient.clinical.record(decideVoid, {
      occurredAt: '2024-02-03',
      voidedEventId: labId,
      voidedType: 'LabResulted',
      reason: 'wrong patient',
    });
    const decision = decideRaiseQuery(patient.state, { queryId: 'q-1', targetEventId: labId, field: 'value', text: 'x' }, MONITOR_TIME);
    expectViolation(decision, 'targetEventId', 'already-voided');
  });

  it('rejects a query on a masked analyte, whose value blinded monitors must not read or discuss', () => {
    const { patient } = withData();
    const cd19 = patient.clinical.record(decideLabResult, labResultCommand({ analyte: 'CD19', value: 0, unit: 'cells/µL' }));
    const decision = decideRaiseQuery(patient.state, { queryId: 'q-1', targetEventId: cd19, field: 'value', text: 'x' }, MONITOR_TIME);
    expect(violationsOf(decision)).toEqual([expect.objectContaining({ field: 'targetEventId', rule: 'masked-analyte' })]);
  });

  it('reports every missing or malformed field of a command, trusting no input', () => {
    const { patient } = withData();
    const decision = decideRaiseQuery(patient.state, { queryId: 'q 1', targetEventId: 7, text: '  ' } as never, MONITOR_TIME);
    expect(violationsOf(decision).map(({ field, rule }) => [field, rule])).toEqual([
      ['queryId', 'invalid-identifier'],
      ['targetEventId', 'must-be-text'],
      ['field', 'required'],
      ['text', 'required'],
    ]);
    expect(violationsOf(decideRaiseQuery(patient.state, null as never, MONITOR_TIME)).length).toBe(4);
  });
});

describe('decideAnswerQuery', () => {
  it('answers an open query with a text', () => {
    const { patient } = withOpenQuery();
    expect(acceptedEvent(decideAnswerQuery(patient.state, { queryId: 'q-1', text: 'Confirmed.' }, MONITOR_TIME))).toEqual({
      type: 'QueryAnswered',
      schemaVersion: 1,
      occurredAt: '2024-06-03T08:30:00.000Z',
      data: { queryId: 'q-1', text: 'Confirmed.' },
    });
  });

  it('answers with the correction of the queried event', () => {
    const { patient, infusionId } = withOpenQuery();
    const correction = patient.clinical.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: infusionId,
      correctedType: 'InfusionGiven',
      reason: 'query q-1',
      data: { doseLevelMgPerM2: 375, administeredDoseMg: 700 },
    });
    const command = { queryId: 'q-1', text: 'Corrected.', correctionEventId: correction };
    const event = acceptedEvent(decideAnswerQuery(patient.state, command, MONITOR_TIME));
    expect(event.data).toEqual({ queryId: 'q-1', text: 'Corrected.', correctionEventId: correction });
  });

  it('rejects a correction that does not exist, is no correction, or corrects another event', () => {
    const { patient, labId } = withOpenQuery();
    const labCorrection = patient.clinical.record(decideCorrection, {
      occurredAt: '2024-02-01',
      correctedEventId: labId,
      correctedType: 'LabResulted',
      reason: 'typo',
      data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
    });
    const answer = (correctionEventId: string) =>
      decideAnswerQuery(patient.state, { queryId: 'q-1', text: 'Corrected.', correctionEventId }, MONITOR_TIME);
    expectViolation(answer('evt-404'), 'correctionEventId', 'unknown-event');
    expectViolation(answer(labId), 'correctionEventId', 'not-a-correction');
    expectViolation(answer(labCorrection), 'correctionEventId', 'correction-of-another-event');
  });

  it('rejects an unknown query', () => {
    const { patient } = withOpenQuery();
    expectViolation(decideAnswerQuery(patient.state, { queryId: 'q-2', text: 'x' }, MONITOR_TIME), 'queryId', 'unknown-query');
  });

  it('answers only open queries: not answered, closed or cancelled ones', () => {
    for (const { patient } of [withAnsweredQuery(), withClosedQuery(), withCancelledQuery()]) {
      expectViolation(
        decideAnswerQuery(patient.state, { queryId: 'q-1', text: 'x' }, MONITOR_TIME),
        'queryId',
        'query-transition-not-allowed',
      );
    }
    expect(violationsOf(decideAnswerQuery(withClosedQuery().patient.state, { queryId: 'q-1', text: 'x' }, MONITOR_TIME))[0].message).toBe(
      'query q-1 is closed; only open queries can be answered',
    );
  });

  it('requires an answer text', () => {
    const { patient } = withOpenQuery();
    expectViolation(decideAnswerQuery(patient.state, { queryId: 'q-1' } as never, MONITOR_TIME), 'text', 'required');
  });
});

describe('decideCloseQuery', () => {
  it('closes an answered query', () => {
    const { patient } = withAnsweredQuery();
    expect(acceptedEvent(decideCloseQuery(patient.state, { queryId: 'q-1' }, MONITOR_TIME)).data).toEqual({ queryId: 'q-1' });
  });

  it('does not close an unanswered query: the monitor cancels it instead', () => {
    const { patient } = withOpenQuery();
    expect(violationsOf(decideCloseQuery(patient.state, { queryId: 'q-1' }, MONITOR_TIME))).toEqual([
      { field: 'queryId', rule: 'query-transition-not-allowed', message: 'query q-1 is open; only answered queries can be closed' },
    ]);
  });

  it('does not close a closed or cancelled query, nor an unknown one', () => {
    for (const { patient } of [withClosedQuery(), withCancelledQuery()]) {
      expectViolation(decideCloseQuery(patient.state, { queryId: 'q-1' }, MONITOR_TIME), 'queryId', 'query-transition-not-allowed');
    }
    expectViolation(decideCloseQuery(withOpenQuery().patient.state, { queryId: 'constructor' }, MONITOR_TIME), 'queryId', 'unknown-query');
  });
});

describe('decideCancelQuery', () => {
  it('cancels an open or an answered query, with a reason', () => {
    for (const { patient } of [withOpenQuery(), withAnsweredQuery()]) {
      const event = acceptedEvent(decideCancelQuery(patient.state, { queryId: 'q-1', reason: 'duplicate of q-0' }, MONITOR_TIME));
      expect(event).toMatchObject({ type: 'QueryCancelled', data: { queryId: 'q-1', reason: 'duplicate of q-0' } });
    }
  });

  it('does not cancel a closed or cancelled query', () => {
    for (const { patient } of [withClosedQuery(), withCancelledQuery()]) {
      expectViolation(
        decideCancelQuery(patient.state, { queryId: 'q-1', reason: 'x' }, MONITOR_TIME),
        'queryId',
        'query-transition-not-allowed',
      );
    }
  });

  it('requires a reason', () => {
    expectViolation(decideCancelQuery(withOpenQuery().patient.state, { queryId: 'q-1', reason: '' }, MONITOR_TIME), 'reason', 'required');
  });
});

describe('decideReopenQuery', () => {
  it('re-opens an answered or a closed query with a new text', () => {
    for (const { patient } of [withAnsweredQuery(), withClosedQuery()]) {
      const event = acceptedEvent(decideReopenQuery(patient.state, { queryId: 'q-1', text: 'Source says 700 mg.' }, MONITOR_TIME));
      expect(event).toMatchObject({ type: 'QueryReopened', data: { queryId: 'q-1', text: 'Source says 700 mg.' } });
    }
  });

  it('does not re-open an open or a cancelled query', () => {
    for (const { patient } of [withOpenQuery(), withCancelledQuery()]) {
      expectViolation(
        decideReopenQuery(patient.state, { queryId: 'q-1', text: 'x' }, MONITOR_TIME),
        'queryId',
        'query-transition-not-allowed',
      );
    }
  });

  it('requires a text', () => {
    expectViolation(decideReopenQuery(withAnsweredQuery().patient.state, { queryId: 'q-1' } as never, MONITOR_TIME), 'text', 'required');
  });
});
