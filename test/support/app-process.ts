import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { compiledEntry, REPO_ROOT } from './compiled';

/**
 * One of the platform's apps (`apps/<name>/src/main.ts`) in a child process, compiled, as its
 * `npm run start:<name>` runs it: what an operator starts, and what SIGKILL can really kill.
 */
export class AppProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private output: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(app: string, env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess> {
    const child = spawn(process.execPath, [compiledEntry(`apps/${app}/src/main.ts`)], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'log', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { url, output } = await listeningUrl(child, app, timeoutMs);
    return new AppProcess(child, url, output);
  }

  /**
   * Several apps started at once. If one fails to start, the ones that did are killed before the failure is thrown:
   * a started child left behind keeps its pipes, and with them the test worker, open after the run.
   */
  static async startTogether(apps: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<AppProcess[]> {
    const outcomes = await Promise.allSettled(apps.map((app) => AppProcess.start(app, env, timeoutMs)));
    const started = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (!failure) return started;
    await Promise.all(started.map((app) => app.stop('SIGKILL')));
    throw failure.reason;
  }

  async health<T = unknown>(): Promise<T> {
    const response = await fetch(`${this.url}/health`);
    if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
    return (await response.json()) as T;
  }

  /** Sends the signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return { code: this.child.exitCode, signal: this.child.signalCode };
    }
    const exited = once(this.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    this.child.kill(signal);
    const [code, endedBy] = await exited;
    return { code, signal: endedBy };
  }

  get log(): string {
    return this.output;
  }
}

/**
 * The URL a starting app process logs once it listens (the OS chose its port), with its output so far. If the
 * process ends or does not listen within `timeoutMs`, it is killed and the promise rejects with its output.
 */
export function listeningUrl(child: ChildProcess, name: string, timeoutMs: number): Promise<{ url: string; output: string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    const stopWatching = () => {
      clearTimeout(timer);
      child.stdout!.off('data', read);
      child.stderr!.off('data', read);
      child.off('close', ended);
    };
    const fail = (message: string) => {
      stopWatching();
      child.kill('SIGKILL');
      reject(new Error(`${message}\n${output}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (listening) {
        stopWatching();
        resolve({ url: listening[1], output });
      }
    };
    // 'close', not 'exit': it comes once the pipes are drained, so the app's last words are in `output`
    const ended = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`${name} exited during start (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`${name} did not start within ${timeoutMs} ms`), timeoutMs);
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('close', ended);
  });
}
