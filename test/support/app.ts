import type { AddressInfo } from 'node:net';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp, createPinoLogger } from '@trialstream/api-common';
import type { DestinationStream } from 'pino';
import { Accounts, ACTIONS, ApiKeys, PERMISSIONS, UserDirectory } from '@trialstream/auth';
import { loadConfig, type PlatformConfig } from '@trialstream/config';
import type { Role } from '@trialstream/domain';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import request from 'supertest';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { AuditModule } from '../../apps/audit/src/audit.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { createAppModule } from '../../apps/platform/src/app-module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { createTestDatabase, TestDatabase } from './database';

export interface TestApp {
  app: INestApplication;
  database: TestDatabase;
  /** The app's own open DataSource, for waiting on projections and checking what was stored. */
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  /** A user of the given role and sites; returns the Authorization header value. */
  userToken(role: Role, siteIds?: string[], name?: string): Promise<string>;
  /**
   * A person with a password (21 CFR Part 11 signs only as a person) and a personal API key: calls carry
   * `authorization`, and a signed action puts `credentials` (user name and password) in its body.
   */
  person(role: Role, siteIds?: string[], username?: string): Promise<TestPerson>;
  /** Listens on a free local port (for clients that keep connections alive); returns the base URL. */
  listen(): Promise<string>;
  /** Moves the server clock (the clock starts at the given `now`). */
  setNow(now: Date): void;
  close(): Promise<void>;
}

export interface TestPerson {
  userId: string;
  username: string;
  /** The Authorization header value of the person's own API key. */
  authorization: string;
  /** What a signed request adds to its body. */
  credentials: { username: string; password: string };
}

/** Every feature API `npm start` serves (ingest, monitoring, analysis, audit), with every read model fed from the store. */
export const PLATFORM_FEATURES: Array<Type | DynamicModule> = [
  IngestModule,
  MonitoringModule,
  AnalysisModule,
  AuditModule,
  ProjectionsModule.forRoot(PLATFORM_PROJECTIONS),
];

/** The platform's real composition on a fresh PostgreSQL database, with a clock the test controls. */
export async function startTestApp(
  features: Array<Type | DynamicModule>,
  /** protocolFile: activated on start as `npm start` does with TRIAL_PROTOCOL (default: the built-in first protocol, not logged). */
  options: {
    now?: Date;
    kafkaBrokers?: string[];
    kafkaTopic?: string;
    protocolFile?: string;
    postgresUrl?: string;
    /** A database made beforehand (a log written the way an earlier version wrote it); dropped on close like a fresh one. */
    database?: TestDatabase;
    config?: Partial<PlatformConfig>;
    /** Receives every log line (JSON), at debug and above, for tests about what the logs hold. */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase('app', options.postgresUrl));
  let now = options.now ?? new Date();
  const config = {
    ...loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'error' }),
    dbPoolSize: 20,
    auditCheckpointMinutes: 0,
    // no background rounds beside the requests a test makes and records (test/monitoring/warm-up.test.ts runs them)
    monitoringWarmUpSeconds: 0,
    fieldKeyring: null,
    kafkaBrokers: options.kafkaBrokers ?? null,
    kafkaTopic: options.kafkaTopic ?? 'trial-events',
    protocolFile: options.protocolFile ?? null,
    ...options.config,
  };
  const app = await NestFactory.create(
    createAppModule(config, {
      features,
      applicationName: 'trialstream-test',
      overrides: { clock: () => now },
      logger: options.logDestination ? createPinoLogger({ level: 'debug', destination: options.logDestination }) : undefined,
    }),
    { logger: ['error'], bodyParser: false },
  );
  await configureHttpApp(app, 'trialstream (test)');
  await app.init();
  const directory = app.get(UserDirectory);
  const agent = request(app.getHttpServer());
  let people = 0;
  return {
    app,
    database,
    dataSource: app.get<DataSource>(DATA_SOURCE),
    http: () => agent as unknown as ReturnType<typeof request>,
    async userToken(role, siteIds = [], name = `${role}-${siteIds.join('-')}`) {
      const { token } = await directory.createUser({ name, role, siteIds });
      return `Bearer ${token}`;
    },
    async person(role, siteIds = [], username = `${role.replace(/_/g, '-')}.${++people}`) {
      const accounts = app.get(Accounts);
      const by = { userId: 'test-setup', name: 'test setup', role: 'administrator' as const, siteIds: [] };
      const { userId, activationCode } = await accounts.create({ username, name: `Dr ${username}`, role, siteIds }, by);
      // each person's own password, so that one person's password is never another's
      const password = `${username} signs with this passphrase`;
      await accounts.activate(username, activationCode, password);
      const { token } = await app.get(ApiKeys).issue(
        {
          name: `${username}'s key`,
          userId,
          scopes: ACTIONS.filter((action) => PERMISSIONS[action].includes(role)),
          expiresAt: new Date(now.getTime() + 300 * 86_400_000).toISOString(),
        },
        by,
      );
      return { userId, username, authorization: `Bearer ${token}`, credentials: { username, password } };
    },
    async listen() {
      await app.listen(0, '127.0.0.1');
      return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    },
    setNow(next) {
      now = next;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
