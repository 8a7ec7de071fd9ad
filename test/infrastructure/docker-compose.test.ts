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
}

const ROOT = join(__dirname, '..', '..');
const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const services = compose.services;
const appDirectories = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
/** Run on demand (`docker compose run --rm admin ...`), so there is nothing to keep healthy. */
const isTool = (service: ComposeService) => service.profiles?.includes('tools') ?? false;
const INFRASTRUCTURE = ['postgres', 'kafka'];
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
    expect(services.kafka?.image).toMatch(/^apache\/kafka:3\.9/);
  });

  it('starts an app only once PostgreSQL and Kafka are healthy, pointing it at both', () => {
    for (const [name, service] of appServices) {
      if (isTool(service) || name === 'platform') continue;
      expect({ name, dependsOn: service.depends_on }).toEqual({
        name,
        dependsOn: { postgres: { condition: 'service_healthy' }, kafka: { condition: 'service_healthy' } },
      });
      expect(service.environment).toEqual(
        expect.objectContaining({ DATABASE_URL: expect.stringContaining('@postgres:5432/'), KAFKA_BROKERS: 'kafka:9092' }),
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
