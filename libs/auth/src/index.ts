export * from './principal';
export * from './api-key';
export * from './user-rules';
export * from './policy';
export * from './user-directory';
export * from './migrations';
export * from './nest';
