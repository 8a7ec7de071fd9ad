import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource, MixedList } from 'typeorm';
import { openDatabase } from '../data-source';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../embedded-postgres';

/** Injection token of the open TypeORM DataSource (a plain string, so libraries need not import this one). */
export const DATA_SOURCE = 'DATA_SOURCE';
const EMBEDDED = 'EMBEDDED_POSTGRES';

export interface DatabaseModuleOptions {
  /** A real PostgreSQL; null runs the embedded one in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  poolSize: number;
  migrations: MixedList<Function>;
  applicationName?: string;
}

/** Opens the one database of the process (real or embedded, same `pg` path) and migrates it. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EMBEDDED) private readonly embedded: { server: EmbeddedPostgres | null },
  ) {}

  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const embedded: { server: EmbeddedPostgres | null } = { server: null };
    return {
      module: DatabaseModule,
      providers: [
        { provide: EMBEDDED, useValue: embedded },
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            let url = options.databaseUrl;
            if (url === null) {
              embedded.server = await startEmbeddedPostgres({ dataDir: options.dataDir, whenRunning: 'refuse' });
              url = embedded.server.url;
              DatabaseModule.logger.log(`embedded PostgreSQL server in ${options.dataDir}/postgres`);
            }
            try {
              return await openDatabase({
                url,
                migrations: options.migrations,
                poolSize: options.poolSize,
                applicationName: options.applicationName,
              });
            } catch (error) {
              await embedded.server?.stop();
              throw error;
            }
          },
        },
      ],
      exports: [DATA_SOURCE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded.server?.stop();
  }
}
