export * from './monitor-actions';
export * from './monitor-workflow.controller';
export * from './record-monitor-action';
