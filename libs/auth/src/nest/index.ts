export * from './tokens';
export * from './decorators';
export { principalOf } from './request-principal';
export * from './api-key.guard';
export * from './permission.guard';
export * from './auth.module';
