// A seeded platform for working on the web app by hand: `npx ts-node -r tsconfig-paths/register test/web/dev-server.ts`.
import { seedTrial } from './seed';
import { startWebPlatform } from './web-platform';

void (async () => {
  const platform = await startWebPlatform();
  const seeded = await seedTrial(platform);
  console.log(
    JSON.stringify(
      {
        url: platform.url,
        patientId: seeded.patientId,
        credentials: Object.fromEntries(Object.entries(seeded.accounts).map(([role, account]) => [role, account.credential])),
      },
      null,
      2,
    ),
  );
  const stop = () => void platform.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
})();
