export * from './protocol-file';
export * from './schema';
export * from './protocol-rules';
export * from './validate';
export * from './load';
export * from './nest';
