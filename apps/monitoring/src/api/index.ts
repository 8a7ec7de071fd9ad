export * from './monitoring.controller';
export * from './monitoring.service';
export * from './monitoring-reader';
export * from './monitoring-query.dto';
export * from './site-lists';
