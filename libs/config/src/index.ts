export * from './config';
export * from './describe-error';
export * from './heap-growth';
export * from './log-levels';
export * from './tokens';
export * from './nest/platform-config.module';
export * from './protocol-holder';
