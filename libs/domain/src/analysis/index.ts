export * from './observations';
export * from './baseline';
export * from './summary';
export * from './endpoints';
export * from './retreatment-signals';
export * from './groupings';
export * from './fisher-exact';
export * from './between-arms';
