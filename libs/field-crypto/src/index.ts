export * from './keyring';
export * from './sealed-fields';
