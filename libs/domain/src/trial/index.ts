export * from './events';
export * from './rules';
export * from './trial-state';
export { decideDatabaseFreeze, decideDatabaseLock, decideUnblinding, type TrialCommand } from './decide-trial';
export { decideCodeBreak, type CodeBreakCommand } from './decide-code-break';
export * from './protocol-versions';
