import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { UserDirectory } from '@trialstream/auth';
import { PLATFORM_CONFIG, PlatformConfig } from '@trialstream/config';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A fresh installation has no users, so nobody could call the API. The first start creates one
 * administrator, prints its key once and leaves it, readable by the owner only, in the data directory.
 */
export async function ensureFirstAdministrator(users: UserDirectory, dataDir: string): Promise<void> {
  if ((await users.list()).length > 0) return;
  const { user, token } = await users.createUser({ name: 'first administrator', role: 'administrator', siteIds: [] });
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'admin-token');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  new Logger('platform').log(`created the first administrator ${user.id}; API key (also in ${file}):\n\n    ${token}\n`);
}

/** Runs while the app initialises, so the key exists before the server answers its first request. */
@Injectable()
class FirstAdministrator implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserDirectory,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return ensureFirstAdministrator(this.users, this.config.dataDir);
  }
}

@Module({ providers: [FirstAdministrator] })
export class FirstAdministratorModule {}
