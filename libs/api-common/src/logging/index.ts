export * from './request-context';
export * from './platform-logger';
export * from './logging.module';
export * from './http-logging';
