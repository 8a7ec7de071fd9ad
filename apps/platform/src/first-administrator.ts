import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Accounts, UserDirectory } from '@trialstream/auth';
import { PLATFORM_CONFIG, PlatformConfig } from '@trialstream/config';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The user name of the first administrator's person account, activated with the code in `admin-activation-code`. */
export const FIRST_ADMINISTRATOR_USERNAME = 'admin';

/**
 * A fresh installation has no users, so nobody could call the API. The first start creates one
 * administrator with an API key (for scripts) and a person account `admin` with a one-time activation
 * code (for the browser), and leaves both, readable by the owner only, in the data directory. Neither
 * secret is printed: a log line is no place for one.
 */
export async function ensureFirstAdministrator(users: UserDirectory, accounts: Accounts, dataDir: string): Promise<void> {
  if ((await users.list()).length > 0) return;
  const { user, token } = await users.createUser({ name: 'first administrator', role: 'administrator', siteIds: [] });
  const person = await accounts.create(
    { username: FIRST_ADMINISTRATOR_USERNAME, name: 'Administrator', role: 'administrator', siteIds: [] },
    { userId: user.id, name: user.name, role: user.role, siteIds: [] },
  );
  await mkdir(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'admin-token');
  const codeFile = join(dataDir, 'admin-activation-code');
  await writeFile(keyFile, `${token}\n`, { mode: 0o600 });
  await writeFile(codeFile, `${person.activationCode}\n`, { mode: 0o600 });
  new Logger('platform').log(
    `created the first administrator: API key ${user.keyId} in ${keyFile}; ` +
      `user name "${FIRST_ADMINISTRATOR_USERNAME}" with a one-time activation code in ${codeFile} (POST /auth/activate)`,
  );
}

/** Runs while the app initialises, so the key exists before the server answers its first request. */
@Injectable()
class FirstAdministrator implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserDirectory,
    private readonly accounts: Accounts,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return ensureFirstAdministrator(this.users, this.accounts, this.config.dataDir);
  }
}

@Module({ providers: [FirstAdministrator] })
export class FirstAdministratorModule {}
