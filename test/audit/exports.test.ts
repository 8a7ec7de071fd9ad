import { csvRecords, csvRows } from '../support/csv';
import type { AccessRecorded, EventEnvelope } from '@trialstream/domain';
import { SDTM_COLUMNS, SDTM_DOMAINS } from '@trialstream/exports';
import { itemDataRecords, parseOdm, validateAgainstOdmSchema, valuesAssertedBy, type ItemDataRecord } from '../exports/odm-reader';
import type { TestApp } from '../support/app';
import { allEvents, bearer, recordTrial, startAuditApp, type RecordedTrial } from './audit-trial';

describe('CDISC exports for auditors', () => {
  let app: TestApp;
  let trial: RecordedTrial;
  let xml: string;
  let records: ItemDataRecord[];
  let log: EventEnvelope[];

  beforeAll(async () => {
    app = await startAuditApp();
    trial = await recordTrial(app);
    const res = await bearer(app, trial.auditor).get('/audit/exports/odm.xml').expect(200);
    xml = res.text;
    records = itemDataRecords(parseOdm(xml));
    log = await allEvents(app, trial.auditor);
  });
  afterAll(() => app?.close());

  describe('ODM 1.3.2', () => {
    it('is served as an XML attachment that validates against the official CDISC ODM 1.3.2 schema', async () => {
      const res = await bearer(app, trial.auditor).get('/audit/exports/odm.xml').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.xml"$/);
      const check = validateAgainstOdmSchema(xml);
      expect(check.messages).not.toMatch(/fails to validate|error/i);
      expect(check.valid).toBe(true);
    });

    it('gives every value exactly one AuditRecord naming the user, the site and when it was recorded', () => {
      expect(records.length).toBeGreaterThan(50);
      for (const record of records) {
        const event = log.find((candidate) => candidate.eventId === record.sourceId);
        expect({ auditRecords: record.auditRecords, found: event !== undefined }).toEqual({ auditRecords: 1, found: true });
        expect(record).toMatchObject({
          userOid: `USR.${event!.actor.userId}`,
          locationOid: `LOC.${event!.siteId}`,
          dateTimeStamp: event!.recordedAt,
        });
      }
    });

    it('round-trips: every value of every clinical event in the log is found under that event', () => {
      const clinical = log.filter((event) => event.streamId.startsWith('patient-') && event.type !== 'EntryVoided');
      expect(clinical.length).toBeGreaterThan(12);
      for (const event of clinical) {
        const found = new Set(
          records
            .filter((record) => record.sourceId === event.eventId)
            .flatMap((record) => [record.value, record.unitName, record.subjectKey]),
        );
        const missing = valuesAssertedBy(event).filter((value) => !found.has(value));
        expect({ event: event.type, missing }).toEqual({ event: event.type, missing: [] });
      }
    });

    it('carries the correction as an update with its reason, and the void as removals with theirs', () => {
      const igm = records.filter((record) => record.formRepeatKey === trial.ids.annaIgm && record.itemOid === 'IT.LB.LBORRES');
      expect(igm.map(({ transactionType, value, sourceId }) => ({ transactionType, value, sourceId }))).toEqual([
        { transactionType: 'Insert', value: '12.5', sourceId: trial.ids.annaIgm },
        { transactionType: 'Update', value: '1.25', sourceId: trial.ids.igmCorrection },
      ]);
      const voided = records.filter((record) => record.sourceId === trial.ids.aeVoid);
      expect(voided.length).toBeGreaterThan(0);
      for (const removal of voided)
        expect(removal).toMatchObject({ transactionType: 'Remove', reasonForChange: 'entered for the wrong patient' });
    });

    it('holds the masked analytes for the auditor, who is not a blinded role', () => {
      expect(records.some((record) => record.sourceId === trial.ids.annaCd19)).toBe(true);
    });
  });

  describe('SDTM datasets', () => {
    it.each(SDTM_DOMAINS)('%s has the variables the exports library lists and names the domain in every row', async (domain) => {
      const res = await bearer(app, trial.auditor).get(`/audit/exports/sdtm/${domain}.csv`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header] = csvRecords(res.text);
      // the library's lists are checked against the SDTM standard once, in test/exports/sdtm-export.test.ts
      expect(header).toEqual(domain === 'DM' ? expect.arrayContaining([...SDTM_COLUMNS.DM]) : SDTM_COLUMNS[domain]);
      const rows = csvRows(res.text);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatchObject({ DOMAIN: domain, STUDYID: 'ANTI-MAG-RITUXIMAB' });
    });

    it('LB has one row per current result: the corrected value, not the original', async () => {
      const rows = csvRows((await bearer(app, trial.auditor).get('/audit/exports/sdtm/lb.csv').expect(200)).text);
      expect(rows.map((row) => [row.USUBJID, row.LBTESTCD, row.LBORRES])).toEqual([
        ['ANTI-MAG-RITUXIMAB-S01-0001', 'IGM', '1.25'],
        ['ANTI-MAG-RITUXIMAB-S01-0001', 'MAGAB', '>70000'],
        ['ANTI-MAG-RITUXIMAB-S01-0001', 'CD19', '187.25'],
        ['ANTI-MAG-RITUXIMAB-S02-0001', 'IGM', '9.75'],
      ]);
    });

    it('DM has one row per subject, AE one per adverse event still standing (none for the voided one)', async () => {
      const dm = csvRows((await bearer(app, trial.auditor).get('/audit/exports/sdtm/DM.csv').expect(200)).text);
      expect(dm.map((row) => row.SUBJID)).toEqual(['S01-0001', 'S01-0002', 'S02-0001']);
      const ae = csvRows((await bearer(app, trial.auditor).get('/audit/exports/sdtm/AE.csv').expect(200)).text);
      expect(ae.map((row) => [row.USUBJID, row.AETERM])).toEqual([['ANTI-MAG-RITUXIMAB-S02-0001', 'Headache']]);
    });

    it('answers 404 for a domain the platform does not produce', async () => {
      const res = await bearer(app, trial.auditor).get('/audit/exports/sdtm/VS.csv').expect(404);
      expect(res.body.details).toEqual([{ field: 'domain', rule: 'exists' }]);
    });
  });

  describe('who exported what', () => {
    it('records every export as an access event that then appears in the audit trail', async () => {
      await bearer(app, trial.auditor).get('/audit/exports/sdtm/QS.csv').expect(200);
      const accesses = (await allEvents(app, trial.auditor))
        .filter((event) => event.type === 'AccessRecorded')
        .map((event) => ({ actor: event.actor, data: event.data as AccessRecorded }));
      expect(accesses).toContainEqual({
        actor: expect.objectContaining({ role: 'auditor' }),
        data: { action: 'export', resource: 'export/odm', detail: expect.objectContaining({ format: 'CDISC ODM 1.3.2', blinded: false }) },
      });
      expect(accesses).toContainEqual(
        expect.objectContaining({ data: expect.objectContaining({ action: 'export', resource: 'export/sdtm/QS' }) }),
      );
    });

    it('records one access event per export', async () => {
      const exportsSoFar = async () =>
        (
          await app.dataSource.query(
            `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded' AND data->>'resource' = 'export/odm'`,
          )
        )[0].n;
      const before = await exportsSoFar();
      await bearer(app, trial.auditor).get('/audit/exports/odm.xml').expect(200);
      expect(await exportsSoFar()).toBe(before + 1);
    });
  });
});
