/** Where a CLI writes; the real process streams, or buffers in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The stream a progress bar draws on; it draws only when this is a terminal. */
  progress: NodeJS.WritableStream;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: process.stderr,
};

/** Exit codes: 0 done, 1 failed or found differences, 2 wrong invocation. */
export function runAsMain(run: (argv: string[], env: NodeJS.ProcessEnv, io: CliIo) => Promise<number>): void {
  run(process.argv.slice(2), process.env, processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      processIo.err(String((error as Error)?.stack ?? error));
      process.exitCode = 1;
    },
  );
}
