import { READ_MODEL_POLL_MS, ReadModelChangesModule } from '../../apps/platform/src/read-model-changes';
import { whenReadModelsCaughtUp } from '../audit/audit-trial';
import { labBody, NOW, randomizedPatient, trialWithSites } from '../ingest/site-api';
import { PLATFORM_FEATURES, startTestApp, type TestApp } from '../support/app';

/**
 * The change notices that keep the web app's pages live (`GET /events/stream`). A page that records its own
 * reads (an auditor's, an unblinded statistician's) must not hear its own access record as a change, or it
 * would reload, record again and reload forever.
 */
describe('read-model change notices', () => {
  let app: TestApp;
  let base: string;
  let coordinator: string;
  let auditor: string;
  let patientId: string;
  const heard: Array<{ at: number; readModel: string }> = [];
  const stream = new AbortController();

  /** What was heard from `since` until the next two polls have surely run. */
  const heardAfter = async (since: number) => {
    await new Promise((resolve) => setTimeout(resolve, 3 * READ_MODEL_POLL_MS));
    return new Set(heard.filter((notice) => notice.at >= since).map((notice) => notice.readModel));
  };

  beforeAll(async () => {
    app = await startTestApp([...PLATFORM_FEATURES, ReadModelChangesModule], { now: NOW });
    base = await app.listen();
    const { coordinators } = await trialWithSites(app, ['S01']);
    coordinator = coordinators.S01;
    auditor = await app.userToken('auditor');
    patientId = await randomizedPatient(app, coordinator, 'S01', '0001');
    await whenReadModelsCaughtUp(app);

    const response = await fetch(`${base}/events/stream`, { headers: { authorization: auditor }, signal: stream.signal });
    expect(response.status).toBe(200);
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) {
          for (const line of decoder.decode(chunk as Uint8Array).split('\n'))
            if (line.startsWith('data:')) heard.push({ at: Date.now(), ...(JSON.parse(line.slice(5)) as { readModel: string }) });
        }
      } catch {
        // aborted at the end
      }
    })();
    // The first poll only sets the baseline.
    await new Promise((resolve) => setTimeout(resolve, 2 * READ_MODEL_POLL_MS));
  });
  afterAll(async () => {
    stream.abort();
    await app?.close();
  });

  it('names the read models a new lab result changes', async () => {
    const since = Date.now();
    await app.http().post(`/patients/${patientId}/labs`).set('Authorization', coordinator).send(labBody()).expect(201);
    await whenReadModelsCaughtUp(app);
    const readModels = await heardAfter(since);
    expect([...readModels]).toEqual(expect.arrayContaining(['monitoring', 'analysis']));
  });

  it("is silent about an auditor's recorded reads, which every projection passes over", async () => {
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded'`);
    const since = Date.now();
    for (let read = 0; read < 3; read++)
      await app.http().get(`/audit/patients/${patientId}/history`).set('Authorization', auditor).expect(200);
    await whenReadModelsCaughtUp(app);
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM event_store.events WHERE type = 'AccessRecorded'`);
    expect(after[0].n).toBe(before[0].n + 3);
    expect([...(await heardAfter(since))]).toEqual([]);
  });
});
