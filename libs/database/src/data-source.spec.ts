import { openDatabase } from './data-source';

describe('openDatabase', () => {
  it('refuses a pool of one before connecting: the migration lock would hold its only connection and wait forever', async () => {
    // Nothing listens on port 1: a refusal that came from connecting would name the connection instead.
    await expect(openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', migrations: [], poolSize: 1 })).rejects.toThrow(
      'poolSize must be at least 2',
    );
  });
});
