/** Reads an ODM document back (xmlbuilder2's DOM) and validates it with xmllint against the official schema. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EntryCorrected, EventEnvelope } from '@trialstream/domain';
import { create } from 'xmlbuilder2';

const ODM = 'http://www.cdisc.org/ns/odm/v1.3';
const ELEMENT_NODE = 1;

/** The official CDISC ODM 1.3.2 schema, kept beside the repository in ../shared/cdisc/odm-1.3.2/. */
export const ODM_SCHEMA = path.resolve(__dirname, '..', '..', '..', 'shared', 'cdisc', 'odm-1.3.2', 'ODM1-3-2.xsd');

export interface SchemaCheck {
  valid: boolean;
  messages: string;
}

export const validateAgainstOdmSchema = (xml: string): SchemaCheck => {
  if (!existsSync(ODM_SCHEMA)) throw new Error(`the CDISC ODM 1.3.2 schema is missing at ${ODM_SCHEMA}`);
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', ODM_SCHEMA, '-'], { input: xml, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('xmllint is not installed; install it with: apt-get install libxml2-utils');
  }
  if (result.error) throw result.error;
  return { valid: result.status === 0, messages: result.stderr };
};

/** Evaluates an XPath string expression with xmllint, a conformant parser (attribute values normalised as XML requires). */
export const xpathString = (xml: string, expression: string): string => {
  const result = spawnSync('xmllint', ['--nonet', '--xpath', `string(${expression})`, '-'], { input: xml, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('xmllint is not installed; install it with: apt-get install libxml2-utils');
  }
  if (result.status !== 0) throw new Error(`xmllint --xpath failed: ${result.stderr}`);
  // xmllint ends what it prints with one newline of its own
  return result.stdout.replace(/\n$/, '');
};

/** Minimal view of the DOM nodes the tests walk (xmlbuilder2 ships its own DOM without lib.dom typings). */
export interface OdmElement {
  localName: string;
  getAttribute(name: string): string | null;
  textContent: string | null;
  parentNode: OdmElement | null;
  nodeType: number;
  childNodes: ArrayLike<OdmElement>;
  getElementsByTagNameNS(namespace: string, name: string): ArrayLike<OdmElement>;
}

export const parseOdm = (xml: string): OdmElement => create(xml).node as unknown as OdmElement;

export const elements = (root: OdmElement, name: string): OdmElement[] => Array.from(root.getElementsByTagNameNS(ODM, name));

export const childElements = (element: OdmElement, name?: string): OdmElement[] =>
  Array.from(element.childNodes).filter((child) => child.nodeType === ELEMENT_NODE && (name === undefined || child.localName === name));

const ancestor = (element: OdmElement, name: string): OdmElement => {
  let node = element.parentNode;
  while (node && node.localName !== name) node = node.parentNode;
  if (!node) throw new Error(`no ${name} above ${element.localName}`);
  return node;
};

/** One ItemData flattened with its place in the tree and its audit record. */
export interface ItemDataRecord {
  subjectKey: string;
  studyEventOid: string;
  formOid: string;
  formRepeatKey: string | null;
  itemGroupOid: string;
  itemGroupRepeatKey: string | null;
  itemOid: string;
  transactionType: string | null;
  value: string | null;
  unitName: string | null;
  auditRecords: number;
  userOid: string | null;
  locationOid: string | null;
  dateTimeStamp: string | null;
  reasonForChange: string | null;
  sourceId: string | null;
}

const childText = (element: OdmElement | undefined, name: string): string | null =>
  element ? (childElements(element, name)[0]?.textContent ?? null) : null;

export const itemDataRecords = (document: OdmElement): ItemDataRecord[] => {
  const unitNames = new Map(elements(document, 'MeasurementUnit').map((unit) => [unit.getAttribute('OID'), unit.getAttribute('Name')]));
  return elements(document, 'ItemData').map((item) => {
    const audits = childElements(item, 'AuditRecord');
    const audit = audits[0];
    const group = ancestor(item, 'ItemGroupData');
    const form = ancestor(item, 'FormData');
    const unitRef = childElements(item, 'MeasurementUnitRef')[0];
    return {
      subjectKey: ancestor(item, 'SubjectData').getAttribute('SubjectKey')!,
      studyEventOid: ancestor(item, 'StudyEventData').getAttribute('StudyEventOID')!,
      formOid: form.getAttribute('FormOID')!,
      formRepeatKey: form.getAttribute('FormRepeatKey'),
      itemGroupOid: group.getAttribute('ItemGroupOID')!,
      itemGroupRepeatKey: group.getAttribute('ItemGroupRepeatKey'),
      itemOid: item.getAttribute('ItemOID')!,
      transactionType: item.getAttribute('TransactionType'),
      value: item.getAttribute('Value'),
      unitName: unitRef ? (unitNames.get(unitRef.getAttribute('MeasurementUnitOID')) ?? null) : null,
      auditRecords: audits.length,
      userOid: audit ? (childElements(audit, 'UserRef')[0]?.getAttribute('UserOID') ?? null) : null,
      locationOid: audit ? (childElements(audit, 'LocationRef')[0]?.getAttribute('LocationOID') ?? null) : null,
      dateTimeStamp: childText(audit, 'DateTimeStamp'),
      reasonForChange: childText(audit, 'ReasonForChange'),
      sourceId: childText(audit, 'SourceID'),
    };
  });
};

/** Every primitive a payload holds, written as ODM writes it (booleans as the Y/N code list). */
const collectedValues = (value: unknown): string[] => {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(collectedValues);
  if (typeof value === 'object') return Object.values(value).flatMap(collectedValues);
  if (typeof value === 'boolean') return [value ? 'Y' : 'N'];
  return [String(value)];
};

/** What an event asserts about its entry: the clinical time and every value of the (corrected) payload. */
export const valuesAssertedBy = (event: EventEnvelope): string[] => {
  const payload = event.type === 'EntryCorrected' ? (event.data as EntryCorrected).data : event.data;
  return [event.occurredAt, ...collectedValues(payload)];
};
