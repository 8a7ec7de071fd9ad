import { load } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, { condition?: string }>;
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  ports?: string[];
}

const ROOT = join(__dirname, '..', '..');
const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;
/** The browser app is static files that the platform serves, not a process of its own. */
const NOT_A_PROCESS = ['web'];
const appDirectories = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !NOT_A_PROCESS.includes(entry.name))
  .map((entry) => entry.name);
/** Run on demand (`docker compose run --rm admin ...`), so there is nothing to keep healthy. */
const isTool = (service: ComposeService) => service.profiles?.includes('tools') ?? false;
const BROKERS = ['kafka-1', 'kafka-2', 'kafka-3'];
const INFRASTRUCTURE = ['postgres', ...BROKERS];
/** A service's environment as compose sees it: YAML merge keys (`<<: *anchor`) resolved. */
const environmentOf = (service: ComposeService): Record<string, string | number> => {
  const { '<<': merged, ...own } = (service.environment ?? {}) as Record<string, unknown>;
  return { ...(merged as Record<string, string | number> | undefined), ...(own as Record<string, string | number>) };
};
const replicasOf = (service: ComposeService) => service.deploy?.replicas ?? 1;
const appServices = Object.entries(services).filter(([name]) => !INFRASTRUCTURE.includes(name));
const packageScripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
const startScriptOf = (name: string) => (name === 'platform' ? 'start' : `start:${name}`);

describe('docker-compose.yml for deployments', () => {
  it('has a service for every app in apps/', () => {
    const missing = appDirectories.filter((name) => services[name] === undefined);
    expect(missing).toEqual([]);
  });

  it('checks the health of every long-running app, and of PostgreSQL and Kafka', () => {
    const unchecked = Object.entries(services)
      .filter(([, service]) => !isTool(service) && service.healthcheck?.test === undefined)
      .map(([name]) => name);
    expect(unchecked).toEqual([]);
    expect(services.postgres?.healthcheck?.test).toEqual(expect.arrayContaining([expect.stringContaining('pg_isready')]));
    for (const broker of BROKERS)
      expect({ broker, image: services[broker]?.image }).toEqual({ broker, image: expect.stringMatching(/^apache\/kafka:3\.9/) });
  });

  it('runs three Kafka brokers that keep every partition on all three and acknowledge a write once two have it', () => {
    const environments = BROKERS.map((broker) => environmentOf(services[broker]));
    expect(environments.map((environment) => environment.KAFKA_NODE_ID)).toEqual([1, 2, 3]);
    for (const environment of environments) {
      expect(environment).toMatchObject({
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
        KAFKA_DEFAULT_REPLICATION_FACTOR: 3,
        KAFKA_MIN_INSYNC_REPLICAS: 2,
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3,
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
      });
    }
    expect(new Set(environments.map((environment) => environment.KAFKA_ADVERTISED_LISTENERS)).size).toBe(3);
  });

  it('runs several instances of ingest and of each projection service, and two relays', () => {
    const replicas = Object.fromEntries(['ingest', 'monitoring', 'analysis', 'relay'].map((name) => [name, replicasOf(services[name])]));
    expect(replicas).toEqual({ ingest: 3, monitoring: 3, analysis: 3, relay: 2 });
  });

  it('gives the keys that seal masked values to the unblinded side only, the same to every replica', () => {
    const keyed = appServices.filter(([, service]) => 'FIELD_KEYS' in environmentOf(service)).map(([name]) => name);
    expect(keyed.sort()).toEqual(['analysis', 'audit', 'relay']);
    for (const name of keyed) expect(environmentOf(services[name]).FIELD_KEYS).toBe('${FIELD_KEYS:-}');
  });

  it('publishes a host port for each instance of a scaled service, so that replicas do not fight over one', () => {
    for (const [name, service] of appServices) {
      for (const mapping of service.ports ?? []) {
        const range = /^(?:[\d.]+:)?(\d+)(?:-(\d+))?:\d+$/.exec(mapping);
        expect({ name, mapping, parsed: range !== null }).toEqual({ name, mapping, parsed: true });
        const hostPorts = range![2] ? Number(range![2]) - Number(range![1]) + 1 : 1;
        expect({ name, hostPorts }).toEqual({ name, hostPorts: replicasOf(service) });
      }
    }
  });

  it('starts an app only once PostgreSQL and every broker are healthy, pointing it at all of them', () => {
    for (const [name, service] of appServices) {
      if (isTool(service) || name === 'platform') continue;
      expect({ name, dependsOn: service.depends_on }).toEqual({
        name,
        dependsOn: Object.fromEntries(['postgres', ...BROKERS].map((dependency) => [dependency, { condition: 'service_healthy' }])),
      });
      expect(environmentOf(service)).toEqual(
        expect.objectContaining({
          DATABASE_URL: expect.stringContaining('@postgres:5432/'),
          KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092,kafka-3:9092',
        }),
      );
    }
  });

  it('builds every app from the root Dockerfile and runs it with its own start script', () => {
    const command = (name: string) => (name === 'platform' ? ['npm', 'start'] : ['npm', 'run', startScriptOf(name)]);
    for (const [name, service] of appServices) {
      expect({ name, build: service.build }).toEqual({ name, build: { context: '.', dockerfile: 'Dockerfile' } });
      if (!isTool(service)) expect({ name, command: service.command }).toEqual({ name, command: command(name) });
    }
  });

  it('runs only npm scripts that package.json defines, for every app written so far', () => {
    const written = appServices.filter(([name, service]) => !isTool(service) && appDirectories.includes(name));
    const undefinedScripts = written.map(([name]) => startScriptOf(name)).filter((script) => !(script in packageScripts));
    expect(undefinedScripts).toEqual([]);
    expect(packageScripts.admin).toBeDefined();
  });

  it('keeps the all-in-one platform and the admin CLI out of a plain `docker compose up`', () => {
    expect(services.platform?.profiles).toEqual(['all-in-one']);
    expect(services.admin?.profiles).toEqual(['tools']);
  });
});
