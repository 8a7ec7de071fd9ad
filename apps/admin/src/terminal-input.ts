import { createInterface, type Interface } from 'node:readline';

/** Reads what the operator types: secrets without echo at a terminal, or one line each from a pipe. */
export type SecretReader = (prompt: string) => Promise<string>;

/**
 * At a terminal each answer is typed without echo; from a pipe (`printf '%s\n' "$code" "$password" |`)
 * each answer is the next line. A secret never comes from the command line, where `ps` and the shell's
 * history would keep it.
 */
export function stdinSecrets(stdin: NodeJS.ReadStream = process.stdin, prompts: NodeJS.WritableStream = process.stderr): SecretReader {
  let piped: PipedLines | undefined;
  return async (prompt) => {
    if (stdin.isTTY) return typedWithoutEcho(stdin, prompts, prompt);
    const line = await (piped ??= new PipedLines(stdin)).next();
    if (line === null) throw new Error(`${prompt.replace(/:\s*$/, '')}: nothing on standard input`);
    return line;
  };
}

/** The lines of a pipe, handed out one per question (null once the pipe has ended). */
class PipedLines {
  private readonly ready: string[] = [];
  private readonly waiting: Array<(line: string | null) => void> = [];
  private ended = false;

  constructor(input: NodeJS.ReadableStream) {
    const reader: Interface = createInterface({ input, terminal: false });
    reader.on('line', (line: string) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.ready.push(line);
    });
    reader.on('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
    });
  }

  next(): Promise<string | null> {
    if (this.ready.length > 0) return Promise.resolve(this.ready.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

function typedWithoutEcho(stdin: NodeJS.ReadStream, prompts: NodeJS.WritableStream, prompt: string): Promise<string> {
  prompts.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      prompts.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(typed));
        if (char === '\u0003') return finish(() => reject(new Error('interrupted')));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}
