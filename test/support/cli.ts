import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = resolve(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line app from source as its npm script does (ts-node, path aliases) and answers its exit
 * code and output, whether it succeeded or not. `entry` is relative to the repository: `apps/admin/src/cli.ts`.
 */
export async function runCli(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const command = [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '-r', 'tsconfig-paths/register', entry, ...args];
  try {
    const { stdout, stderr } = await run(process.execPath, command, { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
