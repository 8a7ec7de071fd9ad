/**
 * The domain's test builders, one module: commands and patients grown by deciding them, stored payloads
 * and envelopes, monitoring and analysis inputs, and Given/When/Then for deciders. Tests only.
 */
export * from './builders';
export * from './payloads';
export * from './monitoring';
export * from './analysis';
export * from './given-when-then';
export * from './envelopes';
