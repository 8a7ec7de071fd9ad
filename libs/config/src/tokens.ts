/** `() => Date`: the server's clock. Tests pin it, so "overdue" and "in the future" are reproducible. */
export const CLOCK = 'CLOCK';
/** The ProtocolDefinition in force (data, not code): always the current version. */
export const PROTOCOL = 'PROTOCOL';
/** The ProtocolHolder behind PROTOCOL: replaced by protocol activations. */
export const PROTOCOL_HOLDER = 'PROTOCOL_HOLDER';
/** The validated PlatformConfig. */
export const PLATFORM_CONFIG = 'PLATFORM_CONFIG';
/** The deployment's TrialStreams: the names of its trial's streams (resolved once from the database at start). */
export const TRIAL_STREAMS = 'TRIAL_STREAMS';
