export * from './registry.module';
export * from './registry.controller';
export * from './registry-reader';
export * from './registry-query.dto';
