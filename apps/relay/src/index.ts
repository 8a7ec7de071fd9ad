export * from './relay';
export * from './relay.module';
export * from './relay-checkpoints';
export * from './relay-leadership';
export * from './relay-health.controller';
export { createRelayAppModule } from './relay-app.module';
export { RELAY_MIGRATIONS } from './migrations';
