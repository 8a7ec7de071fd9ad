export * from './tokens';
export * from './decorators';
export { principalOf, sessionOf, type RequestSession } from './request-principal';
export * from './session-cookie';
export * from './authentication.guard';
export * from './permission.guard';
export * from './auth.controller';
export * from './api-keys.controller';
export * from './auth.module';
