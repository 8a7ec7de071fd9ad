export * from './patient-record';
export * from './patient-endpoints';
export * from './summaries';
export * from './arm-comparison';
export * from './safety';
