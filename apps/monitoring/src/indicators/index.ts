export * from './field-value';
export * from './patient-monitoring';
export * from './site-indicators';
