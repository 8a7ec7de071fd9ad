export * from './events';
export * from './signature-scope';
export * from './signature-status';
export * from './decide-signature';
export * from './visit-signatures';
