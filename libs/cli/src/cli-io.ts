import { logsAt } from '@trialstream/config';

/** Where a command-line tool writes: results to `out` (stdout), messages and progress to `err` (stderr). Exit codes: 0 done, 1 failed or found something wrong, 2 wrong invocation or could not run. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The stream a progress bar draws on; none in tests. */
  progressStream?: NodeJS.WritableStream;
}

export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progressStream: process.stderr,
});

/** Runs `main` as the process, exiting with its code once stdout has been flushed. */
export function runAsProcess(main: (argv: string[], env: NodeJS.ProcessEnv, io: CliIo) => Promise<number>): void {
  main(process.argv.slice(2), process.env, processIo())
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
        process.exitCode = 2;
      },
    )
    // a pipe left open by the caller (a password prompt's stdin) must not keep the process alive once the command is done
    .finally(() => process.stdin.destroy());
}

/** A quiet projection logger: warnings only when LOG_LEVEL asks for them. */
export const cliLogger = (io: CliIo, env: NodeJS.ProcessEnv) => ({
  warn: (message: string) => {
    if (logsAt(env.LOG_LEVEL ?? 'warn', 'warn', 'error')) io.err(`warning: ${message}`);
  },
  error: (message: string) => io.err(`error: ${message}`),
});
