import { spawn } from 'node:child_process';
import { compiledEntry, REPO_ROOT } from './compiled';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** What the operator types (codes, passwords), one line each, piped on standard input. */
  input?: readonly string[];
}

/**
 * Runs a command-line app compiled, as its npm script does, and answers its exit code and output, whether it
 * succeeded or not. `entry` is its source, relative to the repository: `apps/admin/src/cli.ts`.
 */
export function runCli(entry: string, args: readonly string[], { env = process.env, input = [] }: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [compiledEntry(entry), ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input.map((line) => `${line}\n`).join(''));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}
