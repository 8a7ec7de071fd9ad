import { parseArgs } from 'node:util';
import type { Principal } from '@trialstream/auth';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { describeError, loadConfig } from '@trialstream/config';
import { deploymentTrialStreams } from '@trialstream/event-store';
import { configuredTrialId } from '@trialstream/protocol';
import { AdminContext, CommandFailedError, UsageError } from './admin-command';
import { openPlatformDatabase, PlatformDatabase } from '../../platform/src/platform-database';
import { ADMIN_COMMANDS } from './commands';
import { accountsOf, AS_PERSON_USAGE, operatorOf } from './operator';
import { SecretReader, stdinSecrets } from './terminal-input';

function usage(): string {
  const lines = Object.entries(ADMIN_COMMANDS).map(([, command]) => `  ${command.usage}\n      ${command.summary}`);
  return [
    'Usage: npm run admin -- <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    ...AS_PERSON_USAGE,
    'Connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.',
  ].join('\n');
}

/** Runs one admin command and returns the process exit code: 0 done, 1 refused, 2 wrong invocation. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  readSecret: SecretReader = stdinSecrets(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help') {
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(ADMIN_COMMANDS, name) ? ADMIN_COMMANDS[name] : undefined;
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }

  let opened: PlatformDatabase | undefined;
  const open = async () => (opened ??= await openPlatformDatabase(env, 'trialstream-admin'));
  const accounts = async () => accountsOf(await open(), env);
  let operator: Promise<Principal> | undefined;
  try {
    const { values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    const context: AdminContext = {
      database: async () => (await open()).dataSource,
      store: async () => (await open()).store,
      trialStreams: async () => deploymentTrialStreams((await open()).dataSource, configuredTrialId(loadConfig(env))),
      accounts,
      operator: () => (operator ??= operatorOf(values.as, accounts, readSecret)),
      readSecret,
      print: io.out,
    };
    // A wrong password for --as stops the command before it does anything.
    if (values.as !== undefined) await context.operator();
    await command.run(values, context);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\nUsage: npm run admin -- ${command.usage}`);
      return 2;
    }
    if (error instanceof CommandFailedError) {
      io.err(error.message);
      return 1;
    }
    io.err(`${name} failed: ${describeError(error)}`);
    return 1;
  } finally {
    await opened?.close();
  }
}

if (require.main === module) runAsProcess(runCli);
