import type { ParseArgsConfig } from 'node:util';
import type { Accounts, Principal } from '@trialstream/auth';
import type { TrialStreams } from '@trialstream/domain';
import type { PostgresEventStore } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';
import type { SecretReader } from './terminal-input';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command gets to work with: the database (opened and migrated on first use) and an output line writer. */
export interface AdminContext {
  database(): Promise<DataSource>;
  /** The names of the deployment's trial streams (recorded on first use of a fresh database, as `npm start` does). */
  trialStreams(): Promise<TrialStreams>;
  store(): Promise<PostgresEventStore>;
  accounts(): Promise<Accounts>;
  /**
   * Who the command acts as, in every event it writes: the administrator named by `--as`, once their
   * password checks out, or else the operator's account on this machine (`cli:<login>`).
   */
  operator(): Promise<Principal>;
  /** A secret the operator types (without echo), or the next line of a pipe. */
  readSecret: SecretReader;
  print(line: string): void;
}

/** `--as <username>`: the command acts as this person (an administrator), who gives their password. */
export const AS_PERSON = { as: { type: 'string' } } as const;

export interface AdminCommand {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, context: AdminContext): Promise<void>;
}

/** Wrong invocation: the operator should read the usage (exit code 2). */
export class UsageError extends Error {}

/** A well-formed request the system refuses (exit code 1). */
export class CommandFailedError extends Error {}

export function requiredString(values: OptionValues, option: string): string {
  const value = values[option];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${option} is required`);
  return value;
}

export function stringList(values: OptionValues, option: string): string[] {
  const value = values[option];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string');
}
