export * from './blinded-fold';
export * from './monitoring-rows';
export * from './monitoring.projection';
