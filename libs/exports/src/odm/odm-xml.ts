import { EventEnvelope, LAB_ANALYTES, Role, SignatureRecord } from '@trialstream/domain';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { ExportOptions } from '../export-options';
import { byCodePoint } from '../ordering';
import { buildTrialRecord, EntryHistory, SiteInfo, SubjectInfo, TrialRecord, visibleRecord } from '../trial-record';
import { ItemGroupTransactions, itemTransactionsOf } from './item-transactions';
import {
  codeLists,
  CodeListSpec,
  FORM_OF_ENTRY,
  FormSpec,
  ItemGroupSpec,
  ItemSpec,
  LAB_UNIT,
  STUDY_EVENTS,
  studyEventOf,
  unitOid,
  unitSymbol,
} from './metadata';
import { SIGNATURE_DEFS, signatureDefOid, validSignatures, ValidSignatures } from './signatures';
import { xmlAttributes, xmlText } from './xml-values';

export const ODM_NAMESPACE = 'http://www.cdisc.org/ns/odm/v1.3';

/** Where an event was recorded when the event names no site: trial-level work of the sponsor. */
const SPONSOR_LOCATION = 'SPONSOR';
const SITE_LOCATION_PREFIX = 'LOC.';
const locationOid = (siteId: string): string => `${SITE_LOCATION_PREFIX}${siteId}`;
const userOid = (userId: string): string => `USR.${userId}`;
const metaDataVersionOid = (options: ExportOptions): string => `MDV.${options.protocol.id}`;

/** Site users enter the data; everyone else works for the sponsor. */
const userTypeOf = (roles: ReadonlySet<Role>): 'Investigator' | 'Sponsor' =>
  roles.has('site_coordinator') || roles.has('investigator') ? 'Investigator' : 'Sponsor';

interface EntryTransactions {
  entry: EntryHistory;
  form: FormSpec;
  groups: ItemGroupTransactions[];
}

interface ClinicalContent {
  subjects: Array<{ subject: SubjectInfo; entries: EntryTransactions[] }>;
  users: Map<string, { roles: Set<Role>; locations: Set<string> }>;
  locations: Set<string>;
  units: Set<string>;
  signatures: ValidSignatures;
}

const locationOfEvent = (event: EventEnvelope, subject: SubjectInfo): string => {
  const siteId = event.siteId ?? subject.siteId;
  return siteId ? locationOid(siteId) : SPONSOR_LOCATION;
};

/** Works out everything the file will hold, so that metadata and admin data cover exactly what is referenced. */
const collectClinicalContent = (record: TrialRecord, signatures: ValidSignatures): ClinicalContent => {
  const users: ClinicalContent['users'] = new Map();
  const addUser = (userId: string, role: Role, location: string) => {
    const user = users.get(userId) ?? { roles: new Set<Role>(), locations: new Set<string>() };
    user.roles.add(role);
    user.locations.add(location);
    users.set(userId, user);
  };
  const locations = new Set<string>();
  const units = new Set<string>();
  const subjects: ClinicalContent['subjects'] = [];

  const entriesOf = new Map<string, EntryHistory[]>();
  for (const entry of record.entries) {
    const ofPatient = entriesOf.get(entry.patientId);
    if (ofPatient) ofPatient.push(entry);
    else entriesOf.set(entry.patientId, [entry]);
  }

  for (const subject of record.subjects) {
    const entries = entriesOf.get(subject.patientId) ?? [];
    if (entries.length === 0) continue;
    if (subject.siteId) locations.add(locationOid(subject.siteId));
    const transactions = entries.map((entry) => ({ entry, form: FORM_OF_ENTRY[entry.type], groups: itemTransactionsOf(entry) }));
    for (const { groups } of transactions) {
      for (const transaction of groups.flatMap((group) => group.transactions)) {
        const { actor } = transaction.version.event;
        const location = locationOfEvent(transaction.version.event, subject);
        locations.add(location);
        addUser(actor.userId, actor.role, location);
        if (transaction.unit) units.add(transaction.unit);
      }
    }
    const signed = [signatures.casebook.get(subject.patientId), ...entries.map((entry) => signatures.entries.get(entry.entryId))];
    for (const signature of signed) {
      if (!signature) continue;
      const location = signatureLocation(subject);
      locations.add(location);
      addUser(signature.signer.userId, signature.signer.role as Role, location);
    }
    subjects.push({ subject, entries: transactions });
  }
  return { subjects, users, locations, units, signatures };
};

const child = (parent: XMLBuilder, name: string, attributes: Readonly<Record<string, string | number>> = {}): XMLBuilder =>
  parent.ele(name, xmlAttributes(attributes));

const textChild = (parent: XMLBuilder, name: string, text: string): XMLBuilder => child(parent, name).txt(xmlText(text));

const translated = (parent: XMLBuilder, element: string, text: string): void => {
  textChild(child(parent, element), 'TranslatedText', text).att('xml:lang', 'en');
};

const distinctByOid = <T extends { oid: string }>(specs: readonly T[]): T[] => [...new Map(specs.map((spec) => [spec.oid, spec])).values()];

const writeMetaDataVersion = (study: XMLBuilder, options: ExportOptions, labUnits: readonly string[], lists: CodeListSpec[]): void => {
  const mdv = child(study, 'MetaDataVersion', {
    OID: metaDataVersionOid(options),
    Name: options.protocol.title,
    Description: `Clinical data of protocol ${options.protocol.id} as recorded by trialstream`,
  });
  const protocol = child(mdv, 'Protocol');
  STUDY_EVENTS.forEach((event, index) =>
    child(protocol, 'StudyEventRef', { StudyEventOID: event.oid, OrderNumber: index + 1, Mandatory: event.mandatory ? 'Yes' : 'No' }),
  );

  for (const event of STUDY_EVENTS) {
    const def = child(mdv, 'StudyEventDef', { OID: event.oid, Name: event.name, Repeating: 'No', Type: event.type });
    event.forms.forEach((form, index) => child(def, 'FormRef', { FormOID: form.oid, OrderNumber: index + 1, Mandatory: 'No' }));
  }
  const forms = STUDY_EVENTS.flatMap((event) => event.forms);
  for (const form of forms) {
    const def = child(mdv, 'FormDef', { OID: form.oid, Name: form.name, Repeating: form.repeating ? 'Yes' : 'No' });
    form.groups.forEach((group, index) =>
      child(def, 'ItemGroupRef', { ItemGroupOID: group.oid, OrderNumber: index + 1, Mandatory: index === 0 ? 'Yes' : 'No' }),
    );
  }
  const groups: ItemGroupSpec[] = distinctByOid(forms.flatMap((form) => form.groups));
  for (const group of groups) {
    const def = child(mdv, 'ItemGroupDef', {
      OID: group.oid,
      Name: group.name,
      Repeating: group.repeating ? 'Yes' : 'No',
      ...(group.domain ? { Domain: group.domain } : {}),
    });
    group.items.forEach((item, index) =>
      child(def, 'ItemRef', { ItemOID: item.oid, OrderNumber: index + 1, Mandatory: index === 0 ? 'Yes' : 'No' }),
    );
  }
  const items: ItemSpec[] = distinctByOid(groups.flatMap((group) => group.items));
  for (const item of items) {
    const def = child(mdv, 'ItemDef', {
      OID: item.oid,
      Name: item.name,
      DataType: item.dataType,
      ...(item.sdsVarName ? { SDSVarName: item.sdsVarName } : {}),
    });
    translated(def, 'Question', item.name);
    const units = item.unit === LAB_UNIT ? labUnits : item.unit ? [item.unit] : [];
    for (const unit of units) child(def, 'MeasurementUnitRef', { MeasurementUnitOID: unitOid(unit) });
    if (item.codeListOid) child(def, 'CodeListRef', { CodeListOID: item.codeListOid });
  }
  for (const list of lists) {
    const def = child(mdv, 'CodeList', { OID: list.oid, Name: list.name, DataType: list.dataType });
    list.items.forEach((item, index) => {
      const entry = child(def, 'CodeListItem', { CodedValue: item.coded, OrderNumber: index + 1 });
      translated(entry, 'Decode', item.decode);
      if (item.sdtm) child(entry, 'Alias', { Context: 'SDTM', Name: item.sdtm });
    });
  }
};

const signatureLocation = (subject: SubjectInfo): string => (subject.siteId ? locationOid(subject.siteId) : SPONSOR_LOCATION);

/** §11.50: who signed, where, when, and what the signature meant (its SignatureDef). */
const writeSignature = (parent: XMLBuilder, signature: SignatureRecord, subject: SubjectInfo): void => {
  const element = child(parent, 'Signature');
  child(element, 'UserRef', { UserOID: userOid(signature.signer.userId) });
  child(element, 'LocationRef', { LocationOID: signatureLocation(subject) });
  child(element, 'SignatureRef', { SignatureOID: signatureDefOid(signature.meaning) });
  textChild(element, 'DateTimeStamp', signature.signedAt);
};

const writeAdminData = (odm: XMLBuilder, options: ExportOptions, content: ClinicalContent, sites: ReadonlyMap<string, SiteInfo>): void => {
  const admin = child(odm, 'AdminData', { StudyOID: options.studyOid });
  for (const [userId, user] of [...content.users].sort(([a], [b]) => byCodePoint(a, b))) {
    const element = child(admin, 'User', { OID: userOid(userId), UserType: userTypeOf(user.roles) });
    textChild(element, 'LoginName', userId);
    textChild(element, 'DisplayName', `${userId} (${[...user.roles].sort().join(', ')})`);
    for (const location of [...user.locations].sort()) child(element, 'LocationRef', { LocationOID: location });
  }
  const exportDate = options.exportedAt.slice(0, 10);
  for (const location of [...content.locations].sort()) {
    const siteId = location === SPONSOR_LOCATION ? null : location.slice(SITE_LOCATION_PREFIX.length);
    const site = siteId === null ? undefined : sites.get(siteId);
    const element = child(admin, 'Location', {
      OID: location,
      Name: siteId === null ? 'Sponsor' : (site?.name ?? siteId),
      LocationType: siteId === null ? 'Sponsor' : 'Site',
    });
    child(element, 'MetaDataVersionRef', {
      StudyOID: options.studyOid,
      MetaDataVersionOID: metaDataVersionOid(options),
      EffectiveDate: site?.activatedOn ?? exportDate,
    });
  }
  for (const def of SIGNATURE_DEFS) {
    const element = child(admin, 'SignatureDef', { OID: def.oid, Methodology: 'Electronic' });
    textChild(element, 'Meaning', def.meaning);
    textChild(element, 'LegalReason', def.legalReason);
  }
};

const writeItemGroup = (form: XMLBuilder, instance: ItemGroupTransactions, subject: SubjectInfo): void => {
  const group = child(form, 'ItemGroupData', {
    ItemGroupOID: instance.group.oid,
    ...(instance.repeatKey !== null ? { ItemGroupRepeatKey: instance.repeatKey } : {}),
    TransactionType: 'Insert',
  });
  for (const transaction of instance.transactions) {
    const { event, reason } = transaction.version;
    const item = child(group, 'ItemData', {
      ItemOID: transaction.itemOid,
      TransactionType: transaction.type,
      ...(transaction.value !== null ? { Value: transaction.value } : {}),
    });
    const audit = child(item, 'AuditRecord');
    child(audit, 'UserRef', { UserOID: userOid(event.actor.userId) });
    child(audit, 'LocationRef', { LocationOID: locationOfEvent(event, subject) });
    textChild(audit, 'DateTimeStamp', event.recordedAt);
    if (reason !== null) textChild(audit, 'ReasonForChange', reason);
    textChild(audit, 'SourceID', event.eventId);
    if (transaction.unit) child(item, 'MeasurementUnitRef', { MeasurementUnitOID: unitOid(transaction.unit) });
  }
};

const writeClinicalData = (odm: XMLBuilder, options: ExportOptions, content: ClinicalContent): void => {
  const clinical = child(odm, 'ClinicalData', { StudyOID: options.studyOid, MetaDataVersionOID: metaDataVersionOid(options) });
  for (const { subject, entries } of content.subjects) {
    const subjectData = child(clinical, 'SubjectData', { SubjectKey: subject.patientId, TransactionType: 'Insert' });
    const casebookSignature = content.signatures.casebook.get(subject.patientId);
    if (casebookSignature) writeSignature(subjectData, casebookSignature, subject);
    if (subject.siteId) child(subjectData, 'SiteRef', { LocationOID: locationOid(subject.siteId) });
    for (const studyEvent of STUDY_EVENTS) {
      const inEvent = entries.filter((candidate) => studyEventOf(candidate.form) === studyEvent);
      if (inEvent.length === 0) continue;
      const eventData = child(subjectData, 'StudyEventData', { StudyEventOID: studyEvent.oid, TransactionType: 'Insert' });
      for (const { entry, form, groups } of inEvent) {
        const formData = child(eventData, 'FormData', {
          FormOID: form.oid,
          ...(form.repeating ? { FormRepeatKey: entry.entryId } : {}),
          TransactionType: 'Insert',
        });
        const visitSignature = content.signatures.entries.get(entry.entryId);
        if (visitSignature) writeSignature(formData, visitSignature, subject);
        for (const instance of groups) writeItemGroup(formData, instance, subject);
      }
    }
  }
};

/**
 * The clinical data of a log as a CDISC ODM 1.3.2 Transactional document: every value with an
 * AuditRecord (who, where, when recorded, why, which event). The original entry inserts its values,
 * a correction updates them (with its reason), a void removes them, in the order they happened.
 * A blinded export holds no arm (the log has none) and no entry that ever held a masked analyte.
 */
export const toOdmXml = (events: readonly EventEnvelope[], options: ExportOptions): string => {
  const record = visibleRecord(buildTrialRecord(events), options);
  const content = collectClinicalContent(record, validSignatures(events));
  const masked = options.blinded ? (options.protocol.maskedAnalytes as readonly string[]) : [];
  const protocolLabUnits = LAB_ANALYTES.filter((analyte) => !masked.includes(analyte)).flatMap((analyte) =>
    Object.keys(options.protocol.labs[analyte]?.units ?? {}),
  );
  const labUnits = [...new Set([...protocolLabUnits, ...content.units])];
  const fixedUnits = STUDY_EVENTS.flatMap((event) => event.forms)
    .flatMap((form) => form.groups)
    .flatMap((group) => group.items)
    .flatMap((item) => (item.unit && item.unit !== LAB_UNIT ? [item.unit] : []));
  const allUnits = [...new Set([...fixedUnits, ...labUnits])];

  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const odm = document.ele(
    ODM_NAMESPACE,
    'ODM',
    xmlAttributes({
      Description: describeContents(options),
      FileType: 'Transactional',
      Granularity: 'All',
      FileOID: `${options.studyOid}.ODM.${options.exportedAt}`,
      CreationDateTime: options.exportedAt,
      AsOfDateTime: options.exportedAt,
      ODMVersion: '1.3.2',
      Originator: 'trialstream',
      SourceSystem: 'trialstream',
    }),
  );

  const study = child(odm, 'Study', { OID: options.studyOid });
  const globals = child(study, 'GlobalVariables');
  textChild(globals, 'StudyName', options.studyName);
  textChild(globals, 'StudyDescription', options.protocol.title);
  textChild(globals, 'ProtocolName', options.protocolName);
  const basics = child(study, 'BasicDefinitions');
  for (const unit of allUnits) {
    const element = child(basics, 'MeasurementUnit', { OID: unitOid(unit), Name: unit });
    translated(element, 'Symbol', unitSymbol(unit));
  }
  writeMetaDataVersion(study, options, labUnits, codeLists(masked));
  writeAdminData(odm, options, content, record.sites);
  writeClinicalData(odm, options, content);
  return document.end({ prettyPrint: true });
};

/** The ODM Description says what the file holds, and it never claims an unblinding that has not happened. */
export function describeContents(options: ExportOptions): string {
  if (options.blinded) {
    return `Blinded export of ${options.studyName}: clinical data with the audit trail of every value; results of masked analytes and treatment arms left out`;
  }
  const masked = options.protocol.maskedAnalytes.join(', ');
  return `Export of ${options.studyName} for an unblinded reader: clinical data with the audit trail of every value, ${masked} included; no treatment arms (the ODM clinical data carries none)`;
}
