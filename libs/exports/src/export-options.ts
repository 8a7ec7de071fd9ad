import { ProtocolDefinition } from '@trialstream/domain';

/** What every export needs besides the events: study identity, the moment of export and the reader's blinding. */
export interface ExportOptions {
  /** ODM Study OID, e.g. `ST.ANTIMAG-RTX`. */
  studyOid: string;
  /** Short study name; also SDTM STUDYID. */
  studyName: string;
  protocolName: string;
  /** ISO 8601 date-time the export was made: the ODM CreationDateTime and AsOfDateTime. */
  exportedAt: string;
  /** A blinded reader gets no arm and no result, correction or void of a masked analyte. */
  blinded: boolean;
  protocol: ProtocolDefinition;
  /**
   * Patient id -> arm, from the allocation list that lives outside the event flow. Read only when
   * `blinded` is false (SDTM DM ARM/ACTARM); a blinded export ignores it.
   */
  allocation?: Readonly<Record<string, string>>;
}
