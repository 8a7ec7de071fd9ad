import { AppProcess } from '../support/app-process';

// What an operator sees when an app cannot start: the reason in the log and exit code 1, not a process left
// half started or a bare unhandled rejection.
describe('an app that cannot start', () => {
  it('logs why and exits with 1 when its settings are wrong (the platform, before touching a database)', async () => {
    await expect(AppProcess.start('platform', { PORT: 'eighty' }, 30_000)).rejects.toThrow(
      /exited during start \(code 1, signal null\)[\s\S]*\[bootstrap\][\s\S]*PORT/,
    );
  });

  it('logs why and exits with 1 when a service it needs is not configured (the relay without Kafka)', async () => {
    await expect(AppProcess.start('relay', { KAFKA_BROKERS: '' }, 30_000)).rejects.toThrow(
      /exited during start \(code 1, signal null\)[\s\S]*\[bootstrap\][\s\S]*set KAFKA_BROKERS/,
    );
  });

  it('logs why and exits with 1 when its database does not answer', async () => {
    await expect(AppProcess.start('ingest', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' }, 30_000)).rejects.toThrow(
      /exited during start \(code 1, signal null\)[\s\S]*ECONNREFUSED 127\.0\.0\.1:1/,
    );
  });
});
