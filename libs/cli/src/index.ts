export * from './cli-io';
