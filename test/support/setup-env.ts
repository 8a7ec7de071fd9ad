// Integration suites talk to real services; keep their logs quiet unless asked.
process.env.LOG_LEVEL ??= 'error';
// Processes a suite spawns (relay, analysis, monitoring apart) share one field key, as a deployment's
// unblinded-side services do; without it each would seal with a key of its own.
process.env.FIELD_KEYS ??= 'test:dHJpYWxzdHJlYW0tdGVzdC1maWVsZC1rZXktMzJiISE=';
