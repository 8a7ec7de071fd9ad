import type { EventEnvelope } from '@trialstream/domain';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import type { TestApp } from '../support/app';
import {
  allEvents,
  bearer,
  IGM_CORRECTION_REASON,
  recordTrial,
  runAuditCli,
  startAuditApp,
  whenReadModelsCaughtUp,
  type RecordedTrial,
} from './audit-trial';

type Row = Record<string, unknown>;
interface TableRows {
  table: string;
  total: number;
  rows: Row[];
}

/** A live read model's rows, read straight from its schema in primary-key order, as jsonb. */
async function liveRows(app: TestApp, schema: string, table: string, primaryKey: readonly string[]): Promise<Row[]> {
  const rows: Array<{ row: Row }> = await app.dataSource.query(
    `SELECT to_jsonb(t) AS row FROM "${schema}"."${table}" t ORDER BY ${primaryKey.map((column) => `t."${column}"`).join(', ')}`,
  );
  return rows.map((row) => row.row);
}

const scratchSchemas = async (app: TestApp): Promise<string[]> =>
  (await app.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE '%\\_asof\\_%'`)).map(
    (row: { nspname: string }) => row.nspname,
  );

describe('point in time: the record and the read models as they stood', () => {
  let app: TestApp;
  let trial: RecordedTrial;
  let log: EventEnvelope[];
  const positionOf = (eventId: string) => log.find((event) => event.eventId === eventId)!.globalPosition;

  beforeAll(async () => {
    app = await startAuditApp();
    trial = await recordTrial(app);
    await whenReadModelsCaughtUp(app);
    log = await allEvents(app, trial.auditor);
  });
  afterAll(() => app?.close());

  const igmAsOf = async (query: string) => {
    const { body } = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/as-of?${query}`).expect(200);
    return { record: body, igm: body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaIgm) };
  };

  describe("a patient's record", () => {
    it('shows the original value as of a moment before the correction was recorded', async () => {
      const oneHourAfterEntry = new Date(trial.enteredAt.getTime() + 3600_000).toISOString();
      const { record, igm } = await igmAsOf(`at=${encodeURIComponent(oneHourAfterEntry)}`);
      expect(igm).toMatchObject({ data: { analyte: 'IGM', value: 12.5 }, correctedBy: null });
      expect(record).toMatchObject({ patientId: trial.anna, status: 'randomized', asOf: { kind: 'recorded-at', at: oneHourAfterEntry } });
      expect(record.entries.map((entry: { eventId: string }) => entry.eventId)).toContain(trial.ids.annaAe);
    });

    it('shows the corrected value as of the moment the correction was recorded, and the void applied', async () => {
      const { record, igm } = await igmAsOf(`at=${encodeURIComponent(trial.correctedAt.toISOString())}`);
      expect(igm).toMatchObject({ data: { analyte: 'IGM', value: 1.25 }, correctedBy: trial.ids.igmCorrection });
      expect(record.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaAe)).toMatchObject({ voided: true });
    });

    it('draws the line at a global position just as at a time', async () => {
      const correction = BigInt(positionOf(trial.ids.igmCorrection));
      expect((await igmAsOf(`position=${correction - 1n}`)).igm.data.value).toBe(12.5);
      expect((await igmAsOf(`position=${correction}`)).igm.data.value).toBe(1.25);
    });

    it('keeps both values in the history, the correction with its reason', async () => {
      const { body } = await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/history`).expect(200);
      const igm = body.entries.find((entry: { eventId: string }) => entry.eventId === trial.ids.annaIgm);
      expect(igm.data.value).toBe(12.5);
      expect(igm.amendments).toEqual([
        expect.objectContaining({ kind: 'correction', reason: IGM_CORRECTION_REASON, data: expect.objectContaining({ value: 1.25 }) }),
      ]);
    });

    it('is empty before the patient was enrolled, though the patient exists now', async () => {
      const { record } = await igmAsOf('position=1');
      expect(record).toMatchObject({ status: 'not_enrolled', entries: [], streamVersion: 0 });
    });

    it('records each point-in-time read of the patient as an access event', async () => {
      const reads = async () =>
        (
          await app.dataSource.query(`SELECT data FROM event_store.events WHERE type = 'AccessRecorded' AND data->>'resource' = $1`, [
            `patient/${trial.anna}`,
          ])
        ).map((row: { data: unknown }) => row.data);
      await igmAsOf('position=7');
      expect(await reads()).toContainEqual({
        action: 'audit-read',
        resource: `patient/${trial.anna}`,
        detail: { view: 'as-of', kind: 'position', position: '7' },
      });
    });

    it('needs exactly one of at and position, and an instant with its offset', async () => {
      const refused = async (query: string) =>
        (await bearer(app, trial.auditor).get(`/audit/patients/${trial.anna}/as-of${query}`).expect(400)).body.details;
      expect(await refused('')).toEqual([{ field: 'at', rule: 'exactly-one-of-at-or-position' }]);
      expect(await refused('?at=2026-06-01T12:00:00Z&position=3')).toEqual([{ field: 'at', rule: 'exactly-one-of-at-or-position' }]);
      expect(await refused('?at=2026-06-01')).toEqual([{ field: 'at', rule: 'instant' }]);
      expect(await refused('?position=last')).toEqual([{ field: 'position', rule: 'global-position' }]);
    });
  });

  describe('a read model', () => {
    const lastPosition = () => log[log.length - 1].globalPosition;

    it.each(PLATFORM_PROJECTIONS.map((projection) => [projection.name, projection] as const))(
      'replayed to the end equals the live %s read model, table by table',
      async (_name, projection) => {
        await whenReadModelsCaughtUp(app);
        const [{ last, count }] = await app.dataSource.query(
          `SELECT max(global_position)::text AS last, count(*)::int AS count FROM event_store.events`,
        );
        // the live rows first: the as-of request records an access event of its own, which some read model may apply
        const live = new Map<string, Row[]>();
        for (const table of projection.resolvedTables.values()) {
          live.set(
            table.name,
            await liveRows(
              app,
              projection.schema,
              table.name,
              table.primaryKey.map((column) => column.name),
            ),
          );
        }
        const { body } = await bearer(app, trial.auditor)
          .get(`/audit/projections/${projection.name}/as-of?position=${last}&limit=1000`)
          .expect(200);
        expect(body.events).toBe(count);
        expect(body.tables.map((table: TableRows) => table.table)).toEqual([...live.keys()]);
        for (const table of body.tables as TableRows[]) {
          expect({ table: table.table, rows: table.rows }).toEqual({ table: table.table, rows: live.get(table.table) });
          expect(table.total).toBe(table.rows.length);
        }
        expect(body).toMatchObject({ deadLettered: 0 });
      },
    );

    it('shows what the registry held at an earlier moment: Bruno randomized, not yet withdrawn', async () => {
      const withdrawal = log.find((event) => event.streamId === `patient-${trial.bruno}` && event.type === 'PatientWithdrawn')!;
      const before = BigInt(withdrawal.globalPosition) - 1n;
      const patientsAt = async (position: string | bigint) =>
        (await bearer(app, trial.auditor).get(`/audit/projections/registry/as-of?position=${position}&table=patients`).expect(200)).body;
      const earlier = await patientsAt(before);
      const now = await patientsAt(lastPosition());
      const bruno = (body: { tables: TableRows[] }) => body.tables[0].rows.find((row) => row.patient_id === trial.bruno);
      expect(earlier.tables.map((table: TableRows) => table.table)).toEqual(['patients']);
      expect(bruno(earlier)).toMatchObject({ status: 'randomized' });
      expect(bruno(now)).toMatchObject({ status: 'withdrawn' });
      expect(earlier.events).toBeLessThan(now.events);
    });

    it('can be read by recorded-at time: before the correction day, no amendment is counted yet', async () => {
      const { body } = await bearer(app, trial.auditor)
        .get(`/audit/projections/registry/as-of?at=${encodeURIComponent(trial.enteredAt.toISOString())}&table=patients`)
        .expect(200);
      const anna = body.tables[0].rows.find((row: Row) => row.patient_id === trial.anna);
      expect(anna.total_events).toBe(9);
      expect(anna.event_counts).not.toHaveProperty('EntryCorrected');
    });

    it('pages the rows of each table by primary key', async () => {
      const page = async (offset: number) =>
        (
          await bearer(app, trial.auditor)
            .get(`/audit/projections/registry/as-of?position=${lastPosition()}&table=patients&limit=2&offset=${offset}`)
            .expect(200)
        ).body.tables[0];
      const [first, second] = [await page(0), await page(2)];
      expect(first.total).toBe(3);
      expect([...first.rows, ...second.rows].map((row: Row) => row.patient_id)).toEqual(['S01-0001', 'S01-0002', 'S02-0001']);
    });

    it('leaves no scratch schema behind', async () => {
      expect(await scratchSchemas(app)).toEqual([]);
    });

    it('answers 404 for a projection or table that does not exist', async () => {
      await bearer(app, trial.auditor).get('/audit/projections/nope/as-of?position=3').expect(404);
      await bearer(app, trial.auditor).get('/audit/projections/registry/as-of?position=3&table=nope').expect(404);
    });

    it('is replayed the same way from the command line', async () => {
      const withdrawal = log.find((event) => event.streamId === `patient-${trial.bruno}` && event.type === 'PatientWithdrawn')!;
      const before = (BigInt(withdrawal.globalPosition) - 1n).toString();
      const result = await runAuditCli('replay', ['--projection', 'registry', '--until', before, '--table', 'patients'], app.database.url);
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 0,
        stderr: expect.stringMatching(/registry as of global position \d+: \d+ events replayed/),
      });
      const printed = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const { body } = await bearer(app, trial.auditor)
        .get(`/audit/projections/registry/as-of?position=${before}&table=patients`)
        .expect(200);
      expect(printed).toEqual(body.tables[0].rows.map((row: Row) => ({ table: 'patients', row })));
      expect(await scratchSchemas(app)).toEqual([]);
    });

    it('refuses an unknown projection on the command line with exit code 2, listing the known ones', async () => {
      const result = await runAuditCli('replay', ['--projection', 'nope', '--until', '3'], app.database.url);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no projection "nope"/);
      expect(result.stderr).toMatch(/registry/);
    });
  });
});
