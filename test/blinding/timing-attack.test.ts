/**
 * The timing side of issue 9's attack. A blinded role cannot read a masked B-cell value or an arm (see the
 * dictionary attack beside this suite), but it can time what it does: if any path (masking, sealing, an
 * allocation lookup, a branch on the value) cost more for one arm, the slower half of the patients would be
 * one arm. Here a site coordinator and a monitor time every request they make about each patient of a seeded
 * double-blind trial (24 patients, 12 per arm; rituximab patients' B cells depleted, placebo's not), in
 * interleaved rounds so that load on the machine falls on every patient alike, and split the patients at the
 * median time. Expected: the split finds the arms no better than a coin does.
 *
 * The attack is calibrated on the same run's samples: an arm-dependent cost added to one arm's requests must
 * be found once it reaches half a request's time, so a pass means the platform leaks less than that, not that
 * the measurement was too noisy to see anything. Costs too small to time on a busy machine (one more query,
 * one more decryption) are ruled out exactly: every read about any patient sends the same statements.
 */
import { seededRandom, shuffled } from '@trialstream/domain';
import { Client } from 'pg';
import { AnalysisModule } from '../../apps/analysis/src/analysis.module';
import { IngestModule } from '../../apps/ingest/src/ingest.module';
import { MonitoringModule } from '../../apps/monitoring/src/monitoring.module';
import { PLATFORM_PROJECTIONS } from '../../apps/platform/src/migrations';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { whenReadModelsCaughtUp } from '../audit/audit-trial';
import { enrolmentBody, labBody, NOW, submission, trialWithSites } from '../ingest/site-api';
import { startTestApp, type TestApp } from '../support/app';

type Arm = 'rituximab' | 'placebo';
interface Patient {
  id: string;
  site: string;
  arm: Arm;
}
/** One request an attacker can time per patient, as (role, what it sends). */
interface Channel {
  name: string;
  /** A read, whose database work is compared between patients (a write's is shared with the projections it wakes). */
  reads: boolean;
  /** Sends it and returns the milliseconds until the whole response arrived. */
  send: (patient: Patient, round: number) => Promise<number>;
}
/** Milliseconds per round, per patient. */
type Samples = Array<Map<string, number>>;

const SITES = ['S01', 'S02', 'S03'];
const PATIENTS_PER_SITE = 8;
const ROUNDS = 30;
/**
 * The attacker wins when the best labelling of the median split gets at least this many of 24 patients
 * right. Under no leak (the order of patients by time independent of arm) that happens with probability
 * 2 × (C(12,11)² + 1) / C(24,12) ≈ 1.1e-4 per channel; a real leak puts every patient on its side.
 */
const RECOVERED = 22;
/**
 * Arm-dependent costs the calibration adds, as fractions of the channel's typical request time; the attack
 * must find one no larger than half a request. Timing alone resolves no finer on a loaded 2-core machine
 * (see the README); work too small to time is compared exactly, statement by statement.
 */
const CALIBRATION_COSTS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Each patient's typical time relative to the others: per round, a sample minus the round's median (load
 * that moves between rounds cancels), then the median over rounds (a stall that hits one sample drops out).
 */
function relativeTimes(samples: Samples): Map<string, number> {
  const residuals = new Map<string, number[]>();
  for (const round of samples) {
    const typical = median([...round.values()]);
    for (const [patientId, ms] of round) residuals.set(patientId, [...(residuals.get(patientId) ?? []), ms - typical]);
  }
  return new Map([...residuals].map(([patientId, values]) => [patientId, median(values)]));
}

/**
 * The attacker knows the allocation is 1:1 and nothing else: the slower half is one arm. Returns how many
 * patients the better of the two labellings gets right (the attacker may guess which half is which).
 */
function medianSplitAttack(patients: Patient[], samples: Samples): number {
  const times = relativeTimes(samples);
  const bySpeed = [...patients].sort((a, b) => times.get(a.id)! - times.get(b.id)!);
  const slower = new Set(bySpeed.slice(patients.length / 2).map((patient) => patient.id));
  const right = patients.filter((patient) => slower.has(patient.id) === (patient.arm === 'rituximab')).length;
  return Math.max(right, patients.length - right);
}

/** The same samples with an extra cost on every request about a rituximab patient: what a leak would look like. */
const withArmCost = (patients: Patient[], samples: Samples, ms: number): Samples =>
  samples.map(
    (round) =>
      new Map(
        [...round].map(([patientId, time]) => [patientId, time + (patients.find((p) => p.id === patientId)!.arm === 'rituximab' ? ms : 0)]),
      ),
  );

/**
 * Every SQL statement the platform sends while `recording` is on, whitespace collapsed, parameters left out:
 * what a request does, whatever the machine's load. Both the event store's pool and TypeORM go through
 * `pg`'s Client.
 */
const statements = (() => {
  const sent: string[] = [];
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  const recorder = {
    recording: false,
    /** What was sent since the last call, but the projections' polls of the global feed, which run on a timer beside any request. */
    take(): string[] {
      return sent
        .splice(0)
        .filter((text) => !text.includes('pg_snapshot_xmin(pg_current_snapshot())'))
        .sort();
    },
  };
  prototype.query = function (this: Client, ...args: unknown[]) {
    if (recorder.recording) {
      const [first] = args;
      const text = typeof first === 'string' ? first : String((first as { text?: unknown } | null)?.text ?? '');
      sent.push(text.replace(/\s+/g, ' ').trim());
    }
    return query.apply(this, args);
  };
  return recorder;
})();

describe('a timing attack by blinded roles on every request about a patient', () => {
  let app: TestApp;
  let base: string;
  const patients: Patient[] = [];
  const samples = new Map<string, Samples>();
  /** Per reading channel, per patient: the statements each of its requests sent, one string per request. */
  const workByChannel = new Map<string, Map<string, string[]>>();
  let sitesOf: Record<string, string>;
  let monitor: string;

  const send = async (method: 'GET' | 'POST', path: string, token: string, body?: object): Promise<number> => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return elapsed;
  };

  beforeAll(async () => {
    app = await startTestApp([IngestModule, MonitoringModule, AnalysisModule, ProjectionsModule.forRoot(PLATFORM_PROJECTIONS)], {
      now: NOW,
    });
    // A listening server with keep-alive connections: a fresh connection per request would add its own noise.
    base = await app.listen();
    const { admin, coordinators } = await trialWithSites(app, SITES);
    sitesOf = coordinators;
    monitor = await app.userToken('monitor', SITES);
    await send('POST', '/allocation/generate', admin, {
      seed: 'issue-9-timing',
      strata: SITES,
      blockSizes: [4],
      kitsPerStratum: PATIENTS_PER_SITE,
    });
    const kits: Array<{ kit_number: string; arm: Arm }> = await app.dataSource.query(`SELECT kit_number, arm FROM allocation.kits`);
    for (const site of SITES) {
      for (let index = 1; index <= PATIENTS_PER_SITE; index++) {
        const res = await fetch(`${base}/sites/${site}/patients`, {
          method: 'POST',
          headers: { authorization: coordinators[site], 'content-type': 'application/json' },
          body: JSON.stringify(enrolmentBody(String(index).padStart(4, '0'))),
        });
        const { patientId } = (await res.json()) as { patientId: string };
        await send('POST', `/patients/${patientId}/randomization`, coordinators[site], { ...submission(), occurredAt: '2026-03-05' });
        const [{ kit }] = await app.dataSource.query(
          `SELECT data->>'kitNumber' AS kit FROM event_store.events WHERE stream_id = $1 AND type = 'PatientRandomized'`,
          [`patient-${patientId}`],
        );
        patients.push({ id: patientId, site, arm: kits.find((candidate) => candidate.kit_number === kit)!.arm });
      }
    }
    const random = seededRandom('issue-9-timing-b-cells');
    const tenth = (low: number, high: number) => Math.round((low + random() * (high - low)) * 10) / 10;
    const day = (round: number) => new Date(Date.UTC(2026, 2, 10 + 2 * round)).toISOString().slice(0, 10);
    const channels: Channel[] = [
      {
        // Rituximab depletes B cells, placebo leaves them: the masked result itself differs by arm.
        name: 'site coordinator: POST /patients/{id}/labs (CD19, masked)',
        reads: false,
        send: (patient, round) =>
          send(
            'POST',
            `/patients/${patient.id}/labs`,
            sitesOf[patient.site],
            labBody({
              occurredAt: day(round),
              analyte: 'CD19',
              value: patient.arm === 'rituximab' ? tenth(0, 2) : tenth(100, 300),
              unit: 'cells/µL',
            }),
          ),
      },
      {
        name: 'site coordinator: GET /patients/{id}/events',
        reads: true,
        send: (patient) => send('GET', `/patients/${patient.id}/events`, sitesOf[patient.site]),
      },
      {
        name: 'monitor: GET /patients/{id}/events',
        reads: true,
        send: (patient) => send('GET', `/patients/${patient.id}/events`, monitor),
      },
    ];
    const order = seededRandom('issue-9-timing-order');
    for (const channel of channels) samples.set(channel.name, []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const channel of channels) {
        const times = new Map<string, number>();
        // Reads are profiled with no projection at work beside them, so that what is recorded is the request's own.
        if (channel.reads) await whenReadModelsCaughtUp(app);
        for (const patient of shuffled(patients, order)) {
          statements.recording = channel.reads;
          statements.take();
          times.set(patient.id, await channel.send(patient, round));
          statements.recording = false;
          if (!channel.reads) continue;
          const work = workByChannel.get(channel.name) ?? new Map<string, string[]>();
          work.set(patient.id, [...(work.get(patient.id) ?? []), statements.take().join('\n')]);
          workByChannel.set(channel.name, work);
        }
        samples.get(channel.name)!.push(times);
      }
    }
  });
  afterAll(() => app?.close());

  it('runs a double-blind trial of 24 patients, 12 per arm, whose masked B-cell results tell the arms apart', () => {
    expect(patients.filter((patient) => patient.arm === 'rituximab')).toHaveLength(12);
    expect(patients.filter((patient) => patient.arm === 'placebo')).toHaveLength(12);
    expect([...samples.values()].every((rounds) => rounds.length === ROUNDS && rounds.every((round) => round.size === 24))).toBe(true);
  });

  it('gives a blinded reader nothing to time: every read about any patient sends the same statements to the database', () => {
    expect([...workByChannel.keys()]).toHaveLength(2);
    for (const work of workByChannel.values()) {
      expect([...work.values()].every((requests) => requests.length === ROUNDS)).toBe(true);
      const profiles = (arm: Arm) =>
        new Set(patients.filter((patient) => patient.arm === arm).flatMap((patient) => work.get(patient.id)!.slice(1)));
      // The first round may warm caches; from then on one profile, the same for both arms, and one that reads the history.
      expect(profiles('rituximab')).toEqual(profiles('placebo'));
      expect(profiles('rituximab').size).toBe(1);
      expect([...profiles('placebo')][0]).toMatch(/event_store\.events/);
    }
  });

  it('is a real attack: an extra cost of half a request or less on one arm puts 22 or more of 24 patients on their side', () => {
    const blind = [...samples].map(([name, channel]) => {
      const typical = median(channel.flatMap((round) => [...round.values()]));
      const found = CALIBRATION_COSTS.find(
        (fraction) => medianSplitAttack(patients, withArmCost(patients, channel, fraction * typical)) >= RECOVERED,
      );
      return { name, typicalMs: typical, smallestCostFound: found };
    });
    expect(blind.filter((channel) => channel.smallestCostFound === undefined)).toEqual([]);
  });

  it('recovers no arm: on every channel the median split is no better than a coin', () => {
    const recovered = [...samples]
      .map(([name, channel]) => ({ name, right: medianSplitAttack(patients, channel) }))
      .filter((channel) => channel.right >= RECOVERED);
    expect(recovered).toEqual([]);
  });
});
