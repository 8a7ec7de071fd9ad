import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;
/** initdb and postgres refuse to run as root: as root, the cluster belongs to the `postgres` user. */
const asPostgres = (command: string, args: string[]) =>
  isRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);

export interface PrivateService {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of a suite's own, on its own port, that the suite may stop and start (the shared one on
 * 5432 must never be stopped). Fresh cluster in a temporary directory; fsync off, it is thrown away.
 */
export async function privatePostgres(port: number): Promise<PrivateService> {
  const dir = mkdtempSync(join(tmpdir(), `trialstream-pg-${port}-`));
  if (isRoot)
    chownSync(
      dir,
      Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    );
  const data = join(dir, 'data');
  await asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const service: PrivateService = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => void (await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start'])),
    stop: async () => void (await asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop'])),
    destroy: async () => {
      await service.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

/** A Kafka broker of a suite's own (scripts/kafka.sh on other ports and directory); a restart keeps its log. */
export async function privateKafka(port: number, controllerPort: number): Promise<PrivateService> {
  const runDir = join(tmpdir(), `trialstream-kafka-${port}`);
  const script = resolve(__dirname, '../../scripts/kafka.sh');
  const kafka = (command: string, keepData: boolean) =>
    run('bash', [script, command], {
      env: {
        ...process.env,
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(controllerPort),
        TRIALSTREAM_KAFKA_RUN_DIR: runDir,
        KAFKA_KEEP_DATA: keepData ? '1' : '0',
      },
    });
  await kafka('start', false);
  return {
    url: `127.0.0.1:${port}`,
    start: async () => void (await kafka('start', true)),
    stop: async () => void (await kafka('stop', true)),
    destroy: async () => {
      await kafka('stop', true).catch(() => undefined);
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
