import { UserDirectory } from '@trialstream/auth';
import { openDatabase } from '@trialstream/database';
import type { Role } from '@trialstream/domain';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { PLATFORM_MIGRATIONS } from '../../apps/platform/src/migrations';
import { AppProcess } from '../support/app-process';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { RoundRobinProxy } from '../support/round-robin-proxy';
import { historyLength, labBody, randomizedPatient, siteBody } from './site-api';

const INSTANCES = 3;

describe('three ingest instances behind one address', () => {
  let database: TestDatabase;
  let dataSource: DataSource | undefined;
  const instances: AppProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  let coordinator: string;
  const api = { http: () => request(proxy!.url) };

  beforeAll(async () => {
    database = await createTestDatabase('ingest');
    // Started together on an empty database, as replicas are.
    instances.push(...(await AppProcess.startTogether(Array<string>(INSTANCES).fill('ingest'), { DATABASE_URL: database.url }, 120_000)));
    proxy = await RoundRobinProxy.start(instances.map((instance) => instance.url));
    dataSource = await openDatabase({ url: database.url, migrations: PLATFORM_MIGRATIONS, poolSize: 2 });
    const token = async (role: Role, siteIds: string[]) =>
      `Bearer ${(await new UserDirectory(dataSource!).createUser({ name: `${role}-scaled`, role, siteIds })).token}`;
    await api
      .http()
      .post('/sites')
      .set('Authorization', await token('administrator', []))
      .send(siteBody('S01'))
      .expect(201);
    coordinator = await token('site_coordinator', ['S01']);
  }, 180_000);
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
    await dataSource?.destroy();
    await database?.drop();
  });

  const forwardedSoFar = () => [...proxy!.forwarded];

  it('gives exactly one of 50 writers racing on one patient version the write, whichever instances they reach; the rest get 409', async () => {
    const patientId = await randomizedPatient(api, coordinator, 'S01', '0001');
    for (let round = 0; round < 2; round++) {
      const version = await historyLength(api, coordinator, patientId);
      const before = forwardedSoFar();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          api
            .http()
            .post(`/patients/${patientId}/labs`)
            .set('Authorization', coordinator)
            .send(labBody({ expectedVersion: version })),
        ),
      );

      expect(proxy!.forwarded.map((count, i) => count - before[i])).toEqual(Array(INSTANCES).fill(expect.any(Number)));
      expect(Math.min(...proxy!.forwarded.map((count, i) => count - before[i]))).toBeGreaterThanOrEqual(16);
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      expect(responses.find((response) => response.status === 409)!.body.details).toEqual([
        { field: 'expectedVersion', rule: 'matches-current-version' },
      ]);
      expect(await historyLength(api, coordinator, patientId)).toBe(version + 1);
    }
  });

  it('keeps every write of racing writers without an expected version, deciding again on the newer record', async () => {
    const patientId = await randomizedPatient(api, coordinator, 'S01', '0002');
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api
          .http()
          .post(`/patients/${patientId}/labs`)
          .set('Authorization', coordinator)
          .send(labBody({ value: 10 + i })),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(201));
    const events = (await api.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator).expect(200)).body;
    expect(events.map((event: { streamVersion: number }) => event.streamVersion)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('decides on the record as stored when another instance wrote since this one last wrote the patient', async () => {
    const patientId = await randomizedPatient(api, coordinator, 'S01', '0005');
    const post = (instance: AppProcess, body: object) =>
      request(instance.url).post(`/patients/${patientId}/labs`).set('Authorization', coordinator).send(body);
    await post(instances[0], labBody({ value: 11 })).expect(201);
    await post(instances[1], labBody({ value: 12 })).expect(201);
    const version = await historyLength(api, coordinator, patientId);

    // Instance 0's own copy stops one event short: the client's (correct) version must not be called stale.
    await post(instances[0], labBody({ value: 13, expectedVersion: version })).expect(201);
    await post(instances[1], labBody({ value: 14 })).expect(201);
    await post(instances[0], labBody({ value: 15 })).expect(201);
    await post(instances[0], labBody({ value: 16, expectedVersion: version })).expect(409);

    const events = (await api.http().get(`/patients/${patientId}/events`).set('Authorization', coordinator).expect(200)).body;
    expect(events.map((event: { streamVersion: number }) => event.streamVersion)).toEqual(
      Array.from({ length: version + 3 }, (_, i) => i + 1),
    );
  });

  it('answers a retry on any instance with the first answer, storing the submission once', async () => {
    const patientId = await randomizedPatient(api, coordinator, 'S01', '0003');
    const body = labBody();
    const first = await request(instances[0].url)
      .post(`/patients/${patientId}/labs`)
      .set('Authorization', coordinator)
      .send(body)
      .expect(201);
    const before = await historyLength(api, coordinator, patientId);

    for (const instance of instances.slice(1)) {
      const retry = await request(instance.url)
        .post(`/patients/${patientId}/labs`)
        .set('Authorization', coordinator)
        .send(body)
        .expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
    expect(await historyLength(api, coordinator, patientId)).toBe(before);
  });

  it('stores a submission sent to every instance at once a single time, and every instance answers alike', async () => {
    const patientId = await randomizedPatient(api, coordinator, 'S01', '0004');
    const before = await historyLength(api, coordinator, patientId);
    const body = labBody();

    const answers = await Promise.all(
      instances.map((instance) => request(instance.url).post(`/patients/${patientId}/labs`).set('Authorization', coordinator).send(body)),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(INSTANCES).fill(201));
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    expect(answers.filter((answer) => answer.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await historyLength(api, coordinator, patientId)).toBe(before + 1);
  });
});
