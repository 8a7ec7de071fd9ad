import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiError } from '@trialstream/api-common';
import { runAsProcess, type CliIo } from '@trialstream/cli';
import { loadConfig, ProtocolHolder } from '@trialstream/config';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { describeProblem, loadProtocolFile, ProtocolRegistry } from '@trialstream/protocol';
import { deploymentTrialStreams } from '@trialstream/event-store';
import { createStreamWriter } from '@trialstream/write-side';
import { openPlatformDatabase } from '../../platform/src/platform-database';
import { AS_PERSON, CommandFailedError, UsageError } from './admin-command';
import { accountsOf, AS_PERSON_USAGE, operatorOf } from './operator';
import { stdinSecrets, type SecretReader } from './terminal-input';

const USAGE = [
  'Usage: npm run protocol -- <command> <file>',
  '',
  '  validate <file>                                   check a protocol file against its schema and rules',
  '  activate <file> [--effective-from YYYY-MM-DD] [--as <username>]',
  '                                                    load it as the next protocol version (an event on the trial stream)',
  '',
  ...AS_PERSON_USAGE,
  'Exit codes: 0 done, 1 refused (an amendment that breaks collected data, or --as without the right password),',
  '2 invalid file or wrong invocation.',
  'activate connects to DATABASE_URL, or to the embedded database in DATA_DIR (./data) when it is not set.',
].join('\n');

/** `npm run protocol -- validate|activate <file>`: an invalid file changes nothing and names the field. */
export async function runProtocolCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  readSecret: SecretReader = stdinSecrets(),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'effective-from': { type: 'string' }, ...AS_PERSON },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, path, ...extra] = parsed.positionals;
  const activates = command === 'activate';
  if ((command !== 'validate' && !activates) || path === undefined || extra.length > 0 || (!activates && parsed.values.as !== undefined)) {
    io.err(USAGE);
    return 2;
  }
  const loaded = loadProtocolFile(path);
  if (!loaded.ok) {
    io.err(`${path} is not a valid protocol file:`);
    for (const problem of loaded.problems) io.err(`  ${describeProblem(problem)}  [${problem.rule}]`);
    return 2;
  }
  const { definition } = loaded;
  if (command === 'validate') {
    io.out(
      `${path}: valid protocol ${definition.id} (${definition.design}), ${definition.schedule.assessmentVisits.length} visits, ${definition.endpoints.length} endpoints`,
    );
    return 0;
  }

  const database = await openPlatformDatabase(env, 'trialstream-protocol');
  try {
    const { store } = database;
    const clock = () => new Date();
    const holder = new ProtocolHolder(ANTI_MAG_RITUXIMAB_PROTOCOL);
    // a fresh database becomes this file's trial, as `npm start` with it would make it
    const streams = await deploymentTrialStreams(database.dataSource, definition.id);
    const writer = createStreamWriter(store, clock, ANTI_MAG_RITUXIMAB_PROTOCOL, streams);
    const registry = new ProtocolRegistry(store, holder, loadConfig(env), clock, writer, streams);
    // a wrong password for --as stops the command before it writes anything
    const operator = await operatorOf(parsed.values.as, () => Promise.resolve(accountsOf(database, env)), readSecret);
    await registry.refresh();
    const result = await registry.activate(operator, {
      file: readFileSync(path, 'utf8'),
      effectiveFrom: parsed.values['effective-from'],
      submissionId: randomUUID(),
    });
    const version = registry.versions().at(-1);
    io.out(
      `Activated ${definition.id} as version ${version?.version}, effective from ${version?.effectiveFrom}: event ${result.response.events[0].eventId}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      io.err(`refused: ${error.message}`);
      return 1;
    }
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof CommandFailedError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

if (require.main === module) runAsProcess(runProtocolCli);
