export type { ExportOptions } from './export-options';
export { toOdmXml, ODM_NAMESPACE } from './odm/odm-xml';
export { isSdtmDomain, SDTM_ARM_COLUMNS, SDTM_COLUMNS, SDTM_DOMAINS, toSdtmDatasets } from './sdtm/datasets';
export type { SdtmDataset, SdtmDatasets, SdtmDomain, SdtmRow, SdtmValue } from './sdtm/datasets';
export { toCsv } from './sdtm/csv';
export { UnknownAmendmentTargetError } from './trial-record';
export { decimalString } from './decimal';
