// Integration suites talk to real services; keep their logs quiet unless asked.
process.env.LOG_LEVEL ??= 'error';
