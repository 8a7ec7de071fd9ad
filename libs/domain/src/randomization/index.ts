export * from './seeded-random';
export * from './allocation-list';
export * from './allocation-csv';
