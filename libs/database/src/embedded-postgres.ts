import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster; created if missing, reopened with its data if not. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) lets the OS pick a free one. */
  port?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://` URL for `pg`/TypeORM, exactly as for a real server. */
  url: string;
  /**
   * Pool size to pass to `openDatabase`. Any size is safe (connections take turns on PGlite's single
   * backend, a whole transaction at a time), but more connections add no parallelism.
   */
  poolSize: number;
  stop(): Promise<void>;
}

const EMBEDDED_POOL_SIZE = 4;
const LOCK_FILE = 'trialstream-embedded.lock';
const WORKER_ROLE = 'trialstream-embedded-postgres';

interface WorkerInput {
  role: typeof WORKER_ROLE;
  dataDir: string;
  port: number;
}

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'stopped' };

/**
 * Serves a PGlite cluster in `dataDir` over the PostgreSQL wire protocol on 127.0.0.1, so the
 * platform runs with no external database and still reaches it through `pg` and TypeORM.
 *
 * PGlite runs in a worker thread: its WebAssembly executes each statement synchronously, which would
 * otherwise stall the application's event loop, and it loads its files through dynamic `import()`,
 * which test runners that evaluate modules in a VM (jest) do not allow on the main thread.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  const input: WorkerInput = { role: WORKER_ROLE, dataDir, port: options.port ?? 0 };
  const worker = new Worker(__filename, { workerData: input, ...loaderFor(__filename) });
  let stopping = false;
  const exited = new Promise<number>((resolveExit) => worker.once('exit', resolveExit));
  void exited.then((code) => {
    releaseLock();
    if (!stopping) console.error(`embedded PostgreSQL stopped unexpectedly (worker exit code ${code})`);
  });
  worker.on('error', (error) => console.error('embedded PostgreSQL failed:', error));

  const started = await Promise.race([
    nextMessage(worker),
    exited.then((code): WorkerMessage => ({ type: 'failed', message: `worker exited with code ${code}` })),
  ]);
  if (started.type !== 'listening') {
    stopping = true;
    await worker.terminate();
    throw new Error(`Embedded PostgreSQL did not start in ${dataDir}: ${started.type === 'failed' ? started.message : started.type}`);
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${started.port}/postgres`,
    poolSize: EMBEDDED_POOL_SIZE,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const done = nextMessage(worker);
        worker.postMessage('stop');
        await Promise.race([done, exited]);
        await worker.terminate();
        await exited;
      })();
      return stopped;
    },
  };
}

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolveMessage) => worker.once('message', resolveMessage));
}

/** From TypeScript sources (tests, ts-node) the worker needs the same on-the-fly compilation. */
function loaderFor(file: string): { execArgv?: string[]; env?: NodeJS.ProcessEnv } {
  if (!file.endsWith('.ts')) return {};
  return {
    execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
    env: { ...process.env, TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node' }) },
  };
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.role === WORKER_ROLE) {
  void serveInWorker(workerData as WorkerInput);
}

async function serveInWorker({ dataDir, port }: WorkerInput): Promise<void> {
  const report = (message: WorkerMessage) => parentPort!.postMessage(message);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const turns = new SessionTurns(db);
    const server = await listen(turns, port);
    const openDb = db;
    parentPort!.once('message', () => {
      void (async () => {
        await server.close();
        await turns.close();
        await openDb.close();
        report({ type: 'stopped' });
      })();
    });
    report({ type: 'listening', port: (server.tcp.address() as AddressInfo).port });
  } catch (error) {
    await db?.close().catch(() => undefined);
    report({ type: 'failed', message: (error as Error).message });
  }
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PROTOCOL_3 = 196608;

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/**
 * PGlite has a single backend session, so connections must take turns on it. pglite-socket's own
 * queue (0.2.17) hands the backend to another connection after any message outside an explicit
 * transaction block, which lets two clients' Parse/Bind/Execute/Sync cycles interleave when a
 * message spans TCP reads: one client's Bind then runs against the other's statement. Here a
 * connection keeps its turn until the backend reports ReadyForQuery with status idle, i.e. at the
 * end of its extended-query cycle and of any transaction it opened.
 */
class SessionTurns {
  private readonly waiting: QueuedMessage[] = [];
  private owner: number | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.closed) return Promise.reject(new Error('embedded PostgreSQL is stopping'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, message, onData, resolve, reject });
      this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i].handlerId === handlerId) {
        this.waiting.splice(i, 1)[0].reject(new Error('connection closed'));
      }
    }
  }

  /** A client that vanished mid-cycle or mid-transaction must not leave its state to the next one. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    await this.running;
    // Its queued messages are gone, so while it still owns the turn nothing else can have started.
    if (this.owner !== handlerId || this.closed) return;
    const reset = async () => {
      const status = await this.run(syncMessage());
      if (status !== 'I') await this.run(simpleQuery('ROLLBACK'));
    };
    this.running = reset()
      .catch(() => undefined)
      .finally(() => {
        this.owner = null;
        this.running = null;
        this.pump();
      });
    await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.waiting.splice(0)) queued.reject(new Error('embedded PostgreSQL is stopping'));
    await this.running;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const index = this.owner === null ? 0 : this.waiting.findIndex((q) => q.handlerId === this.owner);
    if (index < 0 || index >= this.waiting.length) return;
    const [next] = this.waiting.splice(index, 1);
    this.running = this.execute(next).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async execute(queued: QueuedMessage): Promise<void> {
    if (queued.message[0] === TERMINATE) {
      queued.resolve(0);
      return;
    }
    let bytes = 0;
    try {
      const status = await this.run(queued.message, (data) => {
        bytes += data.length;
        queued.onData(data);
      });
      this.owner = status === 'I' && endsCycle(queued.message) ? null : queued.handlerId;
      queued.resolve(bytes);
    } catch (error) {
      queued.reject(error as Error);
    }
  }

  /** Runs one frontend message; returns the transaction status if the reply ends with ReadyForQuery. */
  private async run(message: Uint8Array, onData: (data: Uint8Array) => void = () => undefined): Promise<string | null> {
    let tail: Uint8Array = new Uint8Array(0);
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          tail = lastBytes(tail, data, 6);
          onData(data);
        },
      }),
    );
    return readyForQueryStatus(tail);
  }
}

/** Only these messages make the backend answer with ReadyForQuery; anything else is mid-cycle. */
function endsCycle(message: Uint8Array): boolean {
  const type = message[0];
  return type === SYNC || type === SIMPLE_QUERY || isStartupMessage(message);
}

function isStartupMessage(message: Uint8Array): boolean {
  return message.length >= 8 && Buffer.from(message.buffer, message.byteOffset, 8).readInt32BE(4) === PROTOCOL_3;
}

function readyForQueryStatus(tail: Uint8Array): string | null {
  const isReadyForQuery =
    tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[1] === 0 && tail[2] === 0 && tail[3] === 0 && tail[4] === 5;
  return isReadyForQuery ? String.fromCharCode(tail[5]) : null;
}

function lastBytes(previous: Uint8Array, data: Uint8Array, count: number): Uint8Array {
  if (data.length >= count) return data.slice(data.length - count);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - count));
}

function syncMessage(): Uint8Array {
  return Uint8Array.from([SYNC, 0, 0, 0, 4]);
}

function simpleQuery(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message[0] = SIMPLE_QUERY;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}

interface ListeningServer {
  tcp: Server;
  close(): Promise<void>;
}

/**
 * pglite-socket's handler does the wire framing (startup, SSL refusal, cancel requests); only the
 * server around it is ours, because PGLiteSocketServer always builds its own interleaving queue.
 */
async function listen(turns: SessionTurns, port: number): Promise<ListeningServer> {
  const handlers = new Set<PGLiteSocketHandler>();
  const tcp = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: turns as unknown as PGLiteSocketHandlerOptions['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    tcp.once('error', rejectListen);
    tcp.listen(port, '127.0.0.1', () => {
      tcp.off('error', rejectListen);
      resolveListen();
    });
  });
  return {
    tcp,
    async close() {
      const closing = new Promise<void>((resolveClose) => tcp.close(() => resolveClose()));
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      await closing;
    },
  };
}

/**
 * PGlite takes no lock on its data directory; two processes opening the same one corrupt it.
 * Returns the release function.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, LOCK_FILE);
  const take = () => {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  };
  try {
    take();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (isAlive(holder)) {
      throw new Error(`Embedded PostgreSQL data directory ${dataDir} is in use by process ${holder}`);
    }
    rmSync(lockPath, { force: true });
    take();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(lockPath, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
