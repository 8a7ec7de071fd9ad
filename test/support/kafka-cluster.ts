import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../scripts/kafka.sh');

/** The three-node cluster of `bash scripts/kafka.sh cluster ...` (its own ports, never the shared broker's). */
export const KAFKA_CLUSTER_BROKERS = ['127.0.0.1:29092', '127.0.0.1:29094', '127.0.0.1:29096'];

/** Runs `bash scripts/kafka.sh cluster <args>`; rejects with the script's output when it fails. */
export async function kafkaCluster(...args: Array<'start' | 'stop' | 'status' | 'kill' | string>): Promise<string> {
  try {
    const { stdout } = await run('bash', [SCRIPT, 'cluster', ...args], { timeout: 240_000 });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`kafka.sh cluster ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}
