export * from './monitoring.module';
export * from './monitoring.schema';
export * from './projection';
export * from './indicators';
export * from './api';
