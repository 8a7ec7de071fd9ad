export * from './api-error';
export * from './validation';
export * from './exception-filter';
export * from './http-app';
export * from './health.controller';
export * from './page-query.dto';
