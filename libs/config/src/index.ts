export * from './config';
export * from './tokens';
export * from './nest/platform-config.module';
