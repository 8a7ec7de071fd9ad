import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { startTestApp, TestApp } from '../support/app';
import {
  adverseEventBody,
  assessmentBody,
  enrolmentBody,
  historyLength,
  infusionBody,
  labBody,
  NOW,
  neurographyBody,
  randomizedPatient,
  submission,
  trialWithSites,
  withdrawalBody,
} from './site-api';

describe('a site submits what happened to its patients', () => {
  let app: TestApp;
  let coordinator: string;

  beforeAll(async () => {
    app = await startTestApp([IngestModule], { now: NOW });
    ({
      coordinators: { S01: coordinator },
    } = await trialWithSites(app, ['S01']));
  });
  afterAll(() => app?.close());

  const post = (path: string, body: object, token = coordinator) => app.http().post(path).set('Authorization', token).send(body);

  it('enrols a patient under a pseudonymous subject number and records who, where and when', async () => {
    const res = await post('/sites/S01/patients', enrolmentBody('0001')).expect(201);
    expect(res.body).toMatchObject({ patientId: 'S01-0001', streamVersion: 1, events: [{ type: 'PatientEnrolled', streamVersion: 1 }] });

    const [event] = (await app.http().get('/patients/S01-0001/events').set('Authorization', coordinator).expect(200)).body;
    expect(event).toMatchObject({
      type: 'PatientEnrolled',
      streamId: 'patient-S01-0001',
      siteId: 'S01',
      actor: { role: 'site_coordinator' },
      occurredAt: '2026-03-02',
      recordedAt: NOW.toISOString(),
      data: { patientId: 'S01-0001', birthYear: 1956 },
    });
    // The chain is for verifying roles only: a site's copy carries neither hash.
    expect(Object.keys(event)).not.toEqual(expect.arrayContaining(['hash']));
    expect(Object.keys(event)).not.toContain('previousHash');
    expect(JSON.stringify(event)).not.toMatch(/name|birthDate/i);
  });

  it('records a screen failure instead of an enrolment when eligibility is not met', async () => {
    const res = await post(
      '/sites/S01/patients',
      enrolmentBody('0002', { eligibility: { met: false, criteria: [{ code: 'ANTI_MAG_ABOVE_1000_BTU', met: false }] } }),
    ).expect(201);
    expect(res.body.events[0].type).toBe('PatientScreenFailed');
  });

  it('accepts every kind of clinical data for a randomized patient, in order', async () => {
    const patientId = await randomizedPatient(app, coordinator, 'S01', '0010');
    const accepted = [
      ['infusions', infusionBody(), 'InfusionGiven'],
      ['labs', labBody(), 'LabResulted'],
      ['labs', labBody({ analyte: 'ANTI_MAG', value: 70000, unit: 'BTU', qualifier: '>' }), 'LabResulted'],
      ['neurography', neurographyBody(), 'NeurographyRecorded'],
      ['assessments', assessmentBody(), 'ClinicalAssessed'],
      ['adverse-events', adverseEventBody(), 'AdverseEventReported'],
      ['withdrawal', withdrawalBody(), 'PatientWithdrawn'],
    ] as const;
    for (const [route, body, type] of accepted) {
      const res = await post(`/patients/${patientId}/${route}`, body);
      expect({ route, status: res.status, body: res.body }).toMatchObject({ status: 201, body: { events: [{ type }] } });
    }
    expect(await historyLength(app, coordinator, patientId)).toBe(2 + accepted.length);
  });

  it('derives cycle, BSA and planned dose, and stores a dose more than 10% off as a flagged deviation', async () => {
    const patientId = await randomizedPatient(app, coordinator, 'S01', '0011');
    const exact = await post(`/patients/${patientId}/infusions`, infusionBody()).expect(201);
    expect(exact.body.events[0].deviations).toEqual([]);

    const overdosed = await post(
      `/patients/${patientId}/infusions`,
      infusionBody({ occurredAt: '2026-03-16', administeredDoseMg: 800 }),
    ).expect(201);
    expect(overdosed.body.events[0].deviations).toEqual([expect.objectContaining({ code: 'dose-off-by-more-than-10-percent' })]);

    const events = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator)).body;
    expect(events[3].data).toMatchObject({ cycle: 1, infusionInCycle: 2, bsaM2: 1.88, plannedDoseMg: 705, administeredDoseMg: 800 });
  });

  it('corrects an entry with a reason as a new event, and voids another, leaving the originals in the log', async () => {
    const patientId = await randomizedPatient(app, coordinator, 'S01', '0012');
    const lab = await post(`/patients/${patientId}/labs`, labBody({ value: 12.5 })).expect(201);
    const labId = lab.body.events[0].eventId;
    const correction = await post(`/patients/${patientId}/corrections`, {
      ...submission(),
      occurredAt: '2026-03-09',
      correctedEventId: labId,
      reason: 'Transcription error: 1.25 g/L on the report',
      data: { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' },
    }).expect(201);
    expect(correction.body.events[0].type).toBe('EntryCorrected');

    const ae = await post(`/patients/${patientId}/adverse-events`, adverseEventBody()).expect(201);
    const voided = await post(`/patients/${patientId}/voids`, {
      ...submission(),
      occurredAt: '2026-03-11',
      voidedEventId: ae.body.events[0].eventId,
      reason: 'Entered for the wrong patient',
    }).expect(201);
    expect(voided.body.events[0].type).toBe('EntryVoided');

    const events = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator)).body;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'PatientEnrolled',
      'PatientRandomized',
      'LabResulted',
      'EntryCorrected',
      'AdverseEventReported',
      'EntryVoided',
    ]);
    expect(events[2].data.value).toBe(12.5);
    expect(events[3]).toMatchObject({
      amends: { eventId: labId, reason: 'Transcription error: 1.25 g/L on the report' },
      data: { correctedEventId: labId, correctedType: 'LabResulted', data: { value: 1.25 } },
    });

    const again = await post(`/patients/${patientId}/voids`, {
      ...submission(),
      occurredAt: '2026-03-11',
      voidedEventId: ae.body.events[0].eventId,
      reason: 'twice',
    }).expect(422);
    expect(again.body.details).toContainEqual({ field: 'voidedEventId', rule: 'already-voided' });
    const noReason = await post(`/patients/${patientId}/corrections`, {
      ...submission(),
      occurredAt: '2026-03-09',
      correctedEventId: labId,
      data: { analyte: 'IGM', value: 1.3, unit: 'g/L' },
    }).expect(400);
    expect(noReason.body.details).toContainEqual({ field: 'reason', rule: 'is-string' });
    const badData = await post(`/patients/${patientId}/corrections`, {
      ...submission(),
      occurredAt: '2026-03-09',
      correctedEventId: labId,
      reason: 'typo',
      data: { analyte: 'IGM', value: -1, unit: 'g/L', qualifier: '=' },
    }).expect(422);
    expect(badData.body.details[0].field).toBe('data.value');
    expect(await historyLength(app, coordinator, patientId)).toBe(6);
  });

  describe('refuses bad input with the field and the rule, storing nothing', () => {
    let patientId: string;
    beforeAll(async () => {
      patientId = await randomizedPatient(app, coordinator, 'S01', '0020');
    });

    const refusals: Array<[string, string, object, number, { field: string; rule: string }]> = [
      ['a missing submission id', 'labs', { ...labBody(), submissionId: undefined }, 400, { field: 'submissionId', rule: 'is-string' }],
      ['an unknown field', 'labs', labBody({ colour: 'red' }), 400, { field: 'colour', rule: 'unknown-field' }],
      ['a malformed clinical time', 'labs', labBody({ occurredAt: '03/09/2026' }), 400, { field: 'occurredAt', rule: 'is-iso8601' }],
      ['an unknown analyte', 'labs', labBody({ analyte: 'HBA1C' }), 400, { field: 'analyte', rule: 'is-in' }],
      ['a unit the analyte is not reported in', 'labs', labBody({ unit: 'BTU' }), 422, { field: 'unit', rule: 'unit-not-allowed' }],
      ['a clinical time in the future', 'labs', labBody({ occurredAt: '2026-07-01' }), 422, { field: 'occurredAt', rule: 'in-the-future' }],
      ['data dated before consent', 'labs', labBody({ occurredAt: '2026-02-01' }), 422, { field: 'occurredAt', rule: 'before-enrolment' }],
      [
        'a dose level the protocol does not know',
        'infusions',
        infusionBody({ doseLevelMgPerM2: 500 }),
        422,
        { field: 'doseLevelMgPerM2', rule: 'dose-level-not-in-protocol' },
      ],
      ['an INCAT arm score above 5', 'assessments', assessmentBody({ incatArms: 6 }), 400, { field: 'incatArms', rule: 'max' }],
      [
        'a nerve side that does not exist',
        'neurography',
        neurographyBody({ nerves: [{ nerve: 'ulnar', side: 'middle', motorConductionVelocityMs: 40 }] }),
        400,
        { field: 'nerves[0].side', rule: 'is-in' },
      ],
      [
        'a motor measure on a sensory nerve',
        'neurography',
        neurographyBody({ nerves: [{ nerve: 'sural', side: 'left', motorConductionVelocityMs: 40 }] }),
        422,
        { field: 'nerves[0].motorConductionVelocityMs', rule: 'not-a-motor-nerve' },
      ],
      ['an adverse event grade of 6', 'adverse-events', adverseEventBody({ grade: 6 }), 400, { field: 'grade', rule: 'max' }],
      ['a withdrawal without a reason', 'withdrawal', withdrawalBody({ reason: '' }), 400, { field: 'reason', rule: 'is-length' }],
      [
        'a correction of an event that is not in this record',
        'corrections',
        { ...submission(), occurredAt: '2026-03-09', correctedEventId: '00000000-0000-4000-8000-000000000000', reason: 'typo', data: {} },
        422,
        { field: 'correctedEventId', rule: 'unknown-event' },
      ],
    ];

    it.each(refusals)('%s', async (_what, route, body, status, detail) => {
      const before = await historyLength(app, coordinator, patientId);
      const res = await post(`/patients/${patientId}/${route}`, body).expect(status);
      expect(res.body).toEqual({ error: expect.any(String), message: expect.any(String), details: expect.arrayContaining([detail]) });
      expect(res.body.message.length).toBeGreaterThan(0);
      expect(await historyLength(app, coordinator, patientId)).toBe(before);
    });

    it('names only what the site sent when a correction targets no entry of the record', async () => {
      const res = await post(`/patients/${patientId}/corrections`, {
        ...submission(),
        occurredAt: '2026-03-09',
        correctedEventId: '00000000-0000-4000-8000-000000000000',
        reason: 'typo',
        data: {},
      }).expect(422);
      expect(res.body.details).toEqual([{ field: 'correctedEventId', rule: 'unknown-event' }]);
    });

    it('records a lab result sent without a qualifier as measured (=), the documented default', async () => {
      const { qualifier: _left, ...body } = labBody({ value: 11 });
      const { eventId } = (await post(`/patients/${patientId}/labs`, body).expect(201)).body.events[0];
      const history = (await app.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator)).body;
      expect(history.find((event: { eventId: string }) => event.eventId === eventId)).toMatchObject({
        data: { value: 11, qualifier: '=' },
      });
    });

    it('refuses malformed JSON with 400 in the same shape', async () => {
      const res = await app
        .http()
        .post(`/patients/${patientId}/labs`)
        .set('Authorization', coordinator)
        .set('Content-Type', 'application/json')
        .send('{"value": ')
        .expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: [{ field: 'body', rule: 'valid-json' }] });
    });

    it('refuses an infusion before randomization', async () => {
      await post('/sites/S01/patients', enrolmentBody('0021')).expect(201);
      const res = await post('/patients/S01-0021/infusions', infusionBody()).expect(422);
      expect(res.body.details).toContainEqual({ field: 'patientId', rule: 'not-randomized' });
      expect(await historyLength(app, coordinator, 'S01-0021')).toBe(1);
    });

    it('refuses data after withdrawal', async () => {
      const withdrawn = await randomizedPatient(app, coordinator, 'S01', '0022');
      await post(`/patients/${withdrawn}/withdrawal`, withdrawalBody({ occurredAt: '2026-03-20' })).expect(201);
      const res = await post(`/patients/${withdrawn}/labs`, labBody({ occurredAt: '2026-03-25' })).expect(422);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field: 'occurredAt' }));
    });

    it('answers 404 for a patient that was never enrolled and for a site that was never activated', async () => {
      const unknownPatient = await post('/patients/S01-9999/labs', labBody()).expect(404);
      expect(unknownPatient.body.details).toEqual([{ field: 'patientId', rule: 'exists' }]);
      const admin = await app.userToken('administrator');
      const coordinatorOfGhostSite = await app.userToken('site_coordinator', ['GHOST']);
      await post('/sites/GHOST/patients', enrolmentBody('0001'), coordinatorOfGhostSite).expect(404);
      expect(admin).toBeDefined();
    });

    it('answers 409 for a second enrolment of the same subject', async () => {
      const res = await post('/sites/S01/patients', enrolmentBody('0020')).expect(409);
      expect(res.body.details).toContainEqual({ field: 'patientId', rule: 'already-enrolled' });
    });
  });
});
