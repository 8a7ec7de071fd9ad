/**
 * The server's own rules, compiled into the bundle (libs/domain is pure TypeScript). Imported file by
 * file rather than through the library's index, which also exports the allocation-list CSV reader
 * (csv-parse, a Node.js module the browser neither needs nor can load).
 */
export { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain/protocol';
export type { DecisionContext } from '@trialstream/domain/protocol';
export type { Decision } from '@trialstream/domain/rule-violation';
export { initialPatientState, patientStateFrom } from '@trialstream/domain/patient-state';
export type { PatientState } from '@trialstream/domain/patient-state';
export { decideEnrolment } from '@trialstream/domain/decide/enrolment';
export { decideInfusion } from '@trialstream/domain/decide/infusion';
export { decideLabResult } from '@trialstream/domain/decide/lab-result';
export { decideNeurography } from '@trialstream/domain/decide/neurography';
export { decideClinicalAssessment } from '@trialstream/domain/decide/clinical-assessment';
export { decideAdverseEvent } from '@trialstream/domain/decide/adverse-event';
export { decideWithdrawal } from '@trialstream/domain/decide/withdrawal';
export { decideCorrection } from '@trialstream/domain/decide/correction';
export { decideVoid } from '@trialstream/domain/decide/void';
export type { Summary } from '@trialstream/domain/analysis/summary';
export { isMonitoringEventType } from '@trialstream/domain/monitoring/events';
export { monitoredPatientStateFrom } from '@trialstream/domain/monitoring/monitoring-state';
export type { QueryRecord } from '@trialstream/domain/monitoring/monitoring-state';
export { signaturesInOrder } from '@trialstream/domain/signatures/signature-status';
export { patientIdOfStream } from '@trialstream/domain/streams';
