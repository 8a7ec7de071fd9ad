export type { ExportOptions } from './export-options';
export { toOdmXml, ODM_NAMESPACE } from './odm/odm-xml';
export { toSdtmDatasets } from './sdtm/datasets';
export type { SdtmDataset, SdtmDatasets, SdtmDomain, SdtmRow, SdtmValue } from './sdtm/datasets';
export { toCsv } from './sdtm/csv';
export { UnknownAmendmentTargetError } from './trial-record';
export { decimalString } from './decimal';
