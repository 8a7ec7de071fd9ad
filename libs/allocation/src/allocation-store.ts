import type { AllocationKit } from '@trialstream/domain';
import type { DataSource, EntityManager } from 'typeorm';

/** Where a list came from: generated here from a seed, or prepared by an independent statistician. */
export type AllocationSource = 'generated' | 'imported';

/** What an administrator may see of the list: counts, never an arm. */
export interface StratumKitCounts {
  stratum: string;
  kits: number;
  /** Held for a randomization being recorded. */
  reserved: number;
  /** Given to a randomized patient. */
  dispensed: number;
  available: number;
}

export interface AllocationOverview {
  loaded: boolean;
  source: AllocationSource | null;
  loadedAt: string | null;
  kits: number;
  strata: StratumKitCounts[];
}

/** Thrown when a second list is loaded: a trial has one allocation list. */
export class AllocationListExistsError extends Error {
  constructor() {
    super('an allocation list is already loaded');
    this.name = 'AllocationListExistsError';
  }
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;

/**
 * The allocation list in its own schema (`allocation`). The only code that reads arms: callers decide
 * who may see what comes out of `armsOfKits` and `armOfKit`.
 */
export class AllocationStore {
  constructor(private readonly dataSource: DataSource) {}

  async isLoaded(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM allocation.lists`);
    return rows.length > 0;
  }

  /** Stores the whole list in one transaction, in dispensing order; refuses a second list. */
  async load(kits: readonly AllocationKit[], origin: { source: AllocationSource; seed?: string; by: string; at: Date }): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO allocation.lists (list_id, source, seed, created_at, created_by) VALUES (1, $1, $2, $3, $4)`, [
          origin.source,
          origin.seed ?? null,
          origin.at,
          origin.by,
        ]);
        const CHUNK = 1000;
        for (let start = 0; start < kits.length; start += CHUNK) {
          const chunk = kits.slice(start, start + CHUNK);
          await manager.query(
            `INSERT INTO allocation.kits (kit_number, stratum, block_number, list_position, arm)
             SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[])`,
            [
              chunk.map((kit) => kit.kitNumber),
              chunk.map((kit) => kit.stratum),
              chunk.map((kit) => kit.blockNumber),
              chunk.map((_, index) => start + index + 1),
              chunk.map((kit) => kit.arm),
            ],
          );
        }
      });
    } catch (error) {
      if (isUniqueViolation(error) && (error as { table?: string }).table === 'lists') throw new AllocationListExistsError();
      throw error;
    }
  }

  async overview(): Promise<AllocationOverview> {
    const [list]: Array<{ source: AllocationSource; created_at: Date }> = await this.dataSource.query(
      `SELECT source, created_at FROM allocation.lists`,
    );
    const rows: Array<{ stratum: string; kits: number; reserved: number; dispensed: number }> = await this.dataSource.query(
      `SELECT stratum, count(*)::int AS kits,
              count(*) FILTER (WHERE patient_id IS NOT NULL AND dispensed_at IS NULL)::int AS reserved,
              count(dispensed_at)::int AS dispensed
         FROM allocation.kits GROUP BY stratum ORDER BY stratum`,
    );
    const strata = rows.map((row) => ({ ...row, available: row.kits - row.reserved - row.dispensed }));
    return {
      loaded: list !== undefined,
      source: list?.source ?? null,
      loadedAt: list ? list.created_at.toISOString() : null,
      kits: strata.reduce((sum, stratum) => sum + stratum.kits, 0),
      strata,
    };
  }

  /**
   * Holds the next free kit of the stratum, in list order, for the patient; the patient's own kit if
   * one is already held (a retry after a crash gets the same kit back). Concurrent randomizations
   * skip each other's locked rows instead of waiting, and the unique patient column turns a race of
   * one patient's two requests into one kit. Null when the stratum has no free kit.
   */
  async reserve(stratum: string, patientId: string, at: Date): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.reserveIn(manager, stratum, patientId, at));
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  private async reserveIn(manager: EntityManager, stratum: string, patientId: string, at: Date): Promise<string | null> {
    const [own]: Array<{ kit_number: string }> = await manager.query(
      `SELECT kit_number FROM allocation.kits WHERE patient_id = $1 FOR UPDATE`,
      [patientId],
    );
    if (own) return own.kit_number;
    const [free]: Array<{ kit_number: string }> = await manager.query(
      `SELECT kit_number FROM allocation.kits
        WHERE stratum = $1 AND patient_id IS NULL
        ORDER BY list_position
        LIMIT 1
        FOR UPDATE SKIP LOCKED`,
      [stratum],
    );
    if (!free) return null;
    await manager.query(`UPDATE allocation.kits SET patient_id = $2, reserved_at = $3 WHERE kit_number = $1`, [
      free.kit_number,
      patientId,
      at,
    ]);
    return free.kit_number;
  }

  /** The randomization is in the log: the kit is the patient's for good. */
  async markDispensed(kitNumber: string, patientId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE allocation.kits SET dispensed_at = $3 WHERE kit_number = $1 AND patient_id = $2 AND dispensed_at IS NULL`,
      [kitNumber, patientId, at],
    );
  }

  /** The randomization was not recorded: the kit becomes the stratum's next free kit again. */
  async release(kitNumber: string, patientId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE allocation.kits SET patient_id = NULL, reserved_at = NULL WHERE kit_number = $1 AND patient_id = $2 AND dispensed_at IS NULL`,
      [kitNumber, patientId],
    );
  }

  /** The arm behind each kit given that is on the list. Allocation-revealing: unblinded use only. */
  async armsOfKits(kitNumbers: readonly string[]): Promise<Map<string, string>> {
    if (kitNumbers.length === 0) return new Map();
    const rows: Array<{ kit_number: string; arm: string }> = await this.dataSource.query(
      `SELECT kit_number, arm FROM allocation.kits WHERE kit_number = ANY($1::text[])`,
      [kitNumbers],
    );
    return new Map(rows.map((row) => [row.kit_number, row.arm]));
  }

  /** The list's arms in the order they first appear in it. */
  async arms(): Promise<string[]> {
    const rows: Array<{ arm: string }> = await this.dataSource.query(
      `SELECT arm FROM allocation.kits GROUP BY arm ORDER BY min(list_position)`,
    );
    return rows.map((row) => row.arm);
  }
}
