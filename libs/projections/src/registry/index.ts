export * from './registry-status';
export * from './registry.projection';
