/** `() => Date`: the server's clock. Tests pin it, so "overdue" and "in the future" are reproducible. */
export const CLOCK = 'CLOCK';
/** The ProtocolDefinition in force (data, not code). */
export const PROTOCOL = 'PROTOCOL';
/** The validated PlatformConfig. */
export const PLATFORM_CONFIG = 'PLATFORM_CONFIG';
