import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { AccountAudit, Accounts, AuthError, type Principal } from '@trialstream/auth';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { loadConfig } from '@trialstream/config';
import { deploymentTrialStreams } from '@trialstream/event-store';
import { configuredTrialId } from '@trialstream/protocol';
import { AdminContext, CommandFailedError, UsageError } from './admin-command';
import { openPlatformDatabase, PlatformDatabase } from '../../platform/src/platform-database';
import { ADMIN_COMMANDS } from './commands';
import { SecretReader, stdinSecrets } from './terminal-input';

function usage(): string {
  const lines = Object.entries(ADMIN_COMMANDS).map(([, command]) => `  ${command.usage}\n      ${command.summary}`);
  return [
    'Usage: npm run admin -- <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'With --as <username>, a command acts as that administrator, who types their password (or pipes it on standard',
    "input); without it, the command's events name this machine's login (cli:<login>).",
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
  const accounts = async () => {
    const { dataSource, store } = await open();
    const clock = () => new Date();
    return new Accounts(dataSource, new AccountAudit(store, clock), loadConfig(env).auth, clock);
  };
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
    io.err(`${name} failed: ${(error as Error)?.message ?? String(error)}`);
    return 1;
  } finally {
    await opened?.close();
  }
}

/** The person `--as` names, signed in with their password; without `--as`, this machine's login. */
async function operatorOf(as: unknown, accounts: () => Promise<Accounts>, readSecret: SecretReader): Promise<Principal> {
  if (as === undefined) {
    const who = `cli:${userInfo().username}`;
    return { userId: who, name: who, role: 'administrator', siteIds: [] };
  }
  if (typeof as !== 'string' || as.trim() === '') throw new UsageError('--as takes the user name of an administrator');
  const password = await readSecret(`Password for ${as}: `);
  let person: Principal;
  try {
    person = await (await accounts()).authenticate(as, password);
  } catch (error) {
    if (error instanceof AuthError) throw new CommandFailedError(`--as ${as}: ${(error.getResponse() as { message: string }).message}`);
    throw error;
  }
  if (person.role !== 'administrator') {
    throw new CommandFailedError(`--as ${as}: ${as} is a ${person.role}; the admin command acts only as an administrator`);
  }
  return person;
}

if (require.main === module) {
  runAsProcess(async (argv, env, io) => {
    try {
      return await runCli(argv, env, io);
    } finally {
      // a pipe left open by the caller must not keep the process alive once the command is done
      process.stdin.destroy();
    }
  });
}
