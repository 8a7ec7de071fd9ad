export * from './protocol-registry';
export * from './protocol.controller';
export * from './protocol.module';
export * from './trial-streams';
