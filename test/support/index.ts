export * from './database';
export * from './kafka';
export * from './app';
export * from './projections';
export * from './app-process';
export * from './eventually';
