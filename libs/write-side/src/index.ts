export * from './keyed-mutex';
export * from './respond';
export * from './stream-writer';
export * from './submission-response';
export * from './write-side.module';
export * from './access-log';
export * from './submission-response.view';
