import { EntryVoided } from '@trialstream/domain';
import { toOdmXml, UnknownAmendmentTargetError } from '@trialstream/exports';
import {
  childElements,
  elements,
  ItemDataRecord,
  itemDataRecords,
  parseOdm,
  validateAgainstOdmSchema,
  valuesAssertedBy,
  xpathString,
} from './odm-reader';
import { aSmallTrial } from './scenario';
import { exportOptions, TrialLog } from './trial-log';

/** Everything the export attributes to one event: item values, their units and the subject they sit under. */
const valuesAttributedTo = (records: ItemDataRecord[], eventId: string): Set<string> =>
  new Set(
    records
      .filter((record) => record.sourceId === eventId)
      .flatMap((record) => [record.value, record.unitName, record.subjectKey])
      .filter((value): value is string => value !== null),
  );

describe('ODM 1.3.2 export', () => {
  const { log, ids } = aSmallTrial();
  const unblinded = toOdmXml(log.events, exportOptions());
  const blinded = toOdmXml(log.events, exportOptions({ blinded: true }));
  const records = itemDataRecords(parseOdm(unblinded));

  it('says in its Description what it holds, never claiming an unblinding', () => {
    const description = (xml: string) => /<ODM[^>]* Description="([^"]*)"/.exec(xml)?.[1];
    expect(description(blinded)).toMatch(/^Blinded export .*masked analytes and treatment arms left out/);
    expect(description(unblinded)).toMatch(/^Export of .* for an unblinded reader: .*CD19, CD20 included; no treatment arms/);
    expect(description(unblinded)).not.toMatch(/^Unblinded/);
  });

  it('validates against the official CDISC ODM 1.3.2 schema, blinded and unblinded', () => {
    for (const xml of [unblinded, blinded]) {
      const check = validateAgainstOdmSchema(xml);
      expect(check.messages).not.toMatch(/fails to validate|error/i);
      expect(check.valid).toBe(true);
    }
  });

  it('is rejected by the same schema check when the audit record is out of order', () => {
    const shuffled = unblinded.replace(/(<UserRef [^>]*\/>)(\s*)(<LocationRef [^>]*\/>)/, '$3$2$1');
    expect(validateAgainstOdmSchema(shuffled).valid).toBe(false);
  });

  it('is a transactional file of the study with metadata, admin data and clinical data', () => {
    const document = parseOdm(unblinded);
    const [odm] = elements(document, 'ODM');
    expect(odm.getAttribute('FileType')).toBe('Transactional');
    expect(odm.getAttribute('ODMVersion')).toBe('1.3.2');
    expect(odm.getAttribute('CreationDateTime')).toBe('2024-07-01T09:00:00Z');
    expect(elements(document, 'Study')[0].getAttribute('OID')).toBe('ST.ANTIMAG-RTX');
    expect(elements(document, 'ProtocolName')[0].textContent).toBe('RTX-MAG-01');
    expect(elements(document, 'SubjectData').map((subject) => subject.getAttribute('SubjectKey'))).toEqual([
      'ZH01-007',
      'BE02-001',
      'ZH01-008',
    ]);
  });

  it('defines every item, item group, form and code list it uses', () => {
    const document = parseOdm(unblinded);
    const defined = (element: string): Set<string | null> => new Set(elements(document, element).map((def) => def.getAttribute('OID')));
    const itemDefs = defined('ItemDef');
    for (const record of records) expect(itemDefs).toContain(record.itemOid);
    const groupDefs = defined('ItemGroupDef');
    for (const group of elements(document, 'ItemGroupData')) expect(groupDefs).toContain(group.getAttribute('ItemGroupOID'));
    const formDefs = defined('FormDef');
    for (const form of elements(document, 'FormData')) expect(formDefs).toContain(form.getAttribute('FormOID'));
    const codeLists = defined('CodeList');
    for (const ref of elements(document, 'CodeListRef')) expect(codeLists).toContain(ref.getAttribute('CodeListOID'));
    const units = defined('MeasurementUnit');
    for (const ref of elements(document, 'MeasurementUnitRef')) expect(units).toContain(ref.getAttribute('MeasurementUnitOID'));
  });

  it('gives every ItemData exactly one AuditRecord with user, site, recording time and event id', () => {
    const document = parseOdm(unblinded);
    expect(records.length).toBeGreaterThan(100);
    expect(elements(document, 'AuditRecord')).toHaveLength(records.length);
    for (const record of records) {
      expect(record.auditRecords).toBe(1);
      const event = log.byId(record.sourceId!);
      expect(record.userOid).toBe(`USR.${event.actor.userId}`);
      expect(record.locationOid).toBe(`LOC.${event.siteId}`);
      expect(record.dateTimeStamp).toBe(event.recordedAt);
    }
  });

  it('lists the actors as users and the sites as locations', () => {
    const document = parseOdm(unblinded);
    const users = elements(document, 'User').map((user) => user.getAttribute('OID'));
    expect(users).toEqual(['USR.coordinator-be02', 'USR.coordinator-be02-senior', 'USR.coordinator-zh01']);
    const locations = elements(document, 'Location').map((location) => [location.getAttribute('OID'), location.getAttribute('Name')]);
    expect(locations).toEqual([
      ['LOC.BE02', 'Inselspital Bern'],
      ['LOC.ZH01', 'Zürich University Hospital'],
    ]);
  });

  it('round-trips: every value every event recorded is found in the ItemData attributed to it', () => {
    const dataEvents = log.events.filter((event) => event.type !== 'SiteActivated' && event.type !== 'EntryVoided');
    expect(dataEvents.length).toBeGreaterThan(15);
    for (const event of dataEvents) {
      const found = valuesAttributedTo(records, event.eventId);
      const missing = valuesAssertedBy(event).filter((value) => !found.has(value));
      expect({ event: event.eventId, type: event.type, missing }).toEqual({ event: event.eventId, type: event.type, missing: [] });
    }
  });

  it('keeps each entry in one form keyed by the event that first recorded it', () => {
    const igm = records.filter((record) => record.formRepeatKey === ids.brunoIgm);
    expect(new Set(igm.map((record) => record.formOid))).toEqual(new Set(['F.LB']));
    expect(new Set(igm.map((record) => record.sourceId))).toEqual(new Set([ids.brunoIgm, ids.corrections.brunoIgm]));
  });

  it('shows a corrected value as the original insert followed by an update with the reason', () => {
    const history = records.filter((record) => record.formRepeatKey === ids.brunoIgm && record.itemOid === 'IT.LB.LBORRES');
    expect(
      history.map(({ transactionType, value, unitName, sourceId, reasonForChange, userOid }) => ({
        transactionType,
        value,
        unitName,
        sourceId,
        reasonForChange,
        userOid,
      })),
    ).toEqual([
      {
        transactionType: 'Insert',
        value: '9.75',
        unitName: 'g/L',
        sourceId: ids.brunoIgm,
        reasonForChange: null,
        userOid: 'USR.coordinator-be02',
      },
      {
        transactionType: 'Update',
        value: '9.25',
        unitName: 'g/L',
        sourceId: ids.corrections.brunoIgm,
        reasonForChange: 'transcription error: 9.25 on the lab report',
        userOid: 'USR.coordinator-be02-senior',
      },
    ]);
  });

  it('shows a corrected clinical date as an update of the date item', () => {
    const dates = records.filter((record) => record.formRepeatKey === ids.annaInfusion1 && record.itemOid === 'IT.EX.EXSTDTC');
    expect(dates.map((record) => [record.transactionType, record.value])).toEqual([
      ['Insert', '2024-02-01'],
      ['Update', '2024-02-02'],
    ]);
  });

  it('removes the values a correction drops, with the correction as their audit record', () => {
    const sural = records.filter((record) => record.formRepeatKey === ids.annaNerves && record.itemGroupRepeatKey === 'sural.right');
    const removals = sural.filter((record) => record.transactionType === 'Remove');
    expect(removals.map((record) => record.itemOid).sort()).toEqual(['IT.NV.NVLAT', 'IT.NV.NVLOC', 'IT.NV.SNAP']);
    for (const removal of removals) {
      expect(removal.sourceId).toBe(ids.corrections.annaNerves);
      expect(removal.value).toBeNull();
      expect(removal.reasonForChange).toBe('sural study belonged to another patient; velocity misread');
    }
  });

  it('removes every value of a voided entry, each with the void and its reason', () => {
    const voidEvent = log.byId(ids.voids.brunoIgmTypo);
    const entry = records.filter((record) => record.formRepeatKey === ids.brunoIgmTypo);
    const inserted = entry.filter((record) => record.transactionType === 'Insert').map((record) => record.itemOid);
    const removed = entry.filter((record) => record.transactionType === 'Remove');
    expect(removed.map((record) => record.itemOid)).toEqual(inserted);
    for (const removal of removed) {
      expect(removal.sourceId).toBe(voidEvent.eventId);
      expect(removal.reasonForChange).toBe((voidEvent.data as EntryVoided).reason);
      expect(removal.dateTimeStamp).toBe(voidEvent.recordedAt);
    }
  });

  it('carries a lab result with its reported unit, and the qualifier of a censored result', () => {
    const antiMag = records.filter((record) => record.formRepeatKey === ids.annaAntiMag);
    const valueOf = (itemOid: string) => antiMag.find((record) => record.itemOid === itemOid);
    expect(valueOf('IT.LB.LBORRES')).toMatchObject({ value: '70000', unitName: 'BTU' });
    expect(valueOf('IT.LB.QUAL')).toMatchObject({ value: '>' });
    expect(records.find((record) => record.formRepeatKey === ids.annaIgm && record.itemOid === 'IT.LB.LBORRES')).toMatchObject({
      value: '1230',
      unitName: 'mg/dL',
    });
  });

  describe('blinded', () => {
    const blindedRecords = itemDataRecords(parseOdm(blinded));
    const maskedEvents = [ids.annaCd19, ids.corrections.annaCd19, ids.annaCd20, ids.voids.annaCd20];

    it('contains no masked analyte, no masked value and no trace of their corrections or voids', () => {
      expect(blinded).not.toMatch(/CD19|CD20/);
      expect(blinded).not.toContain('187.25');
      expect(blinded).not.toContain('178.5');
      expect(blinded).not.toContain('wrong line of the lab report');
      expect(blinded).not.toContain('sample haemolysed');
      for (const eventId of maskedEvents) expect(blindedRecords.map((record) => record.sourceId)).not.toContain(eventId);
    });

    it('while the unblinded export of the same log holds them', () => {
      expect(unblinded).toMatch(/CD19/);
      expect(unblinded).toContain('187.25');
      for (const eventId of maskedEvents) expect(records.map((record) => record.sourceId)).toContain(eventId);
    });

    it('keeps every other value with its audit trail', () => {
      const unmasked = records.filter((record) => !maskedEvents.includes(record.sourceId!));
      expect(blindedRecords).toEqual(unmasked);
    });

    it('hides an entry corrected between a masked and an unmasked analyte, in every version', () => {
      const log = new TrialLog();
      const patient = log.patient('ZH01-001', 'ZH01');
      patient.enrolled();
      const mislabelled = patient.labResulted('2024-03-01', { analyte: 'CD20', value: 0.75, unit: 'g/L' });
      patient.corrected(mislabelled, 'LabResulted', { analyte: 'IGM', value: 0.75, unit: 'g/L', qualifier: '=' }, 'analyte mislabelled');
      const xml = toOdmXml(log.events, exportOptions({ blinded: true }));
      expect(validateAgainstOdmSchema(xml).valid).toBe(true);
      expect(xml).not.toContain('CD20');
      expect(xml).not.toContain('analyte mislabelled');
      expect(itemDataRecords(parseOdm(xml)).filter((record) => record.formOid === 'F.LB')).toEqual([]);
    });

    it('names no arm', () => {
      expect(blinded).not.toMatch(/\barm\b|placebo|allocation/i);
    });
  });

  it('keeps free text exactly as entered, for any XML parser: ampersands, entity look-alikes, line breaks', () => {
    const log = new TrialLog();
    const patient = log.patient('ZH01-001', 'ZH01');
    patient.enrolled();
    const term = 'Pain & swelling &amp; R&D; "left" <arm>\n\tsecond line';
    const ae = patient.adverseEventReported('2024-02-02', { term });
    patient.corrected(
      ae,
      'AdverseEventReported',
      { term: 'Pain', serious: false, grade: 1, relatedness: 'unlikely' },
      'two lines:\nfirst & second',
    );
    const xml = toOdmXml(log.events, exportOptions());

    expect(validateAgainstOdmSchema(xml).valid).toBe(true);
    const insert = itemDataRecords(parseOdm(xml)).find(
      (record) => record.itemOid === 'IT.AE.AETERM' && record.transactionType === 'Insert',
    );
    expect(insert?.value).toBe(term);
    expect(xpathString(xml, "//*[local-name()='ItemData'][@ItemOID='IT.AE.AETERM'][1]/@Value")).toBe(term);
    expect(xpathString(xml, "(//*[local-name()='ReasonForChange'])[1]")).toBe('two lines:\nfirst & second');
  });

  it("places a change recorded without a site at the patient's site, by a sponsor user", () => {
    const log = new TrialLog();
    const patient = log.patient('ZH01-001', 'ZH01');
    patient.enrolled();
    const lab = patient.labResulted('2024-03-01');
    const correction = patient.corrected(
      lab,
      'LabResulted',
      { analyte: 'IGM', value: 3.5, unit: 'g/L', qualifier: '=' },
      'query answered',
      {
        by: { userId: 'dm-1', role: 'administrator', siteId: null },
      },
    );
    const xml = toOdmXml(log.events, exportOptions());
    const update = itemDataRecords(parseOdm(xml)).find((record) => record.sourceId === correction && record.itemOid === 'IT.LB.LBORRES');
    expect(update).toMatchObject({ userOid: 'USR.dm-1', locationOid: 'LOC.ZH01', value: '3.5' });
    const user = elements(parseOdm(xml), 'User').find((element) => element.getAttribute('OID') === 'USR.dm-1');
    expect(user?.getAttribute('UserType')).toBe('Sponsor');
    expect(validateAgainstOdmSchema(xml).valid).toBe(true);
  });

  it('refuses a log whose correction points at an entry it does not hold', () => {
    const partial = new TrialLog();
    const patient = partial.patient('ZH01-009', 'ZH01');
    patient.enrolled();
    const { log: full, ids: fullIds } = aSmallTrial();
    const correction = full.byId(fullIds.corrections.brunoIgm);
    expect(() => toOdmXml([...partial.events, correction], exportOptions())).toThrow(UnknownAmendmentTargetError);
  });

  it('nests item data as subject > study event > form > item group', () => {
    const [subject] = elements(parseOdm(unblinded), 'SubjectData');
    expect(childElements(subject).map((child) => child.localName)).toEqual([
      'SiteRef',
      'StudyEventData',
      'StudyEventData',
      'StudyEventData',
    ]);
    expect(childElements(subject, 'StudyEventData').map((event) => event.getAttribute('StudyEventOID'))).toEqual([
      'SE.SCREENING',
      'SE.TREATMENT',
      'SE.ASSESSMENTS',
    ]);
  });
});
