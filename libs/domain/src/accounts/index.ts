export * from './events';
export * from './password-policy';
