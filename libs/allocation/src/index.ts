export * from './allocation-store';
export * from './allocation.module';
export * from './migrations';
