import type { Queryable } from './database';

/**
 * Several writes sent as one statement, each a data-modifying WITH clause: a batch's rows, applied
 * versions and checkpoint cost one round trip. PostgreSQL runs every clause exactly once, all on the
 * same snapshot, so the writes must touch different rows (a batch writes each row once).
 */
export class WriteStatement {
  private readonly writes: string[] = [];
  private readonly parameters: unknown[] = [];

  /** Binds `value` and returns its placeholder, cast to `type`. */
  parameter(value: unknown, type: string): string {
    this.parameters.push(value);
    return `$${this.parameters.length}::${type}`;
  }

  /** An INSERT, UPDATE or DELETE whose placeholders come from `parameter`. */
  add(sql: string): void {
    this.writes.push(sql);
  }

  async run(db: Queryable): Promise<void> {
    if (this.writes.length === 0) return;
    if (this.writes.length === 1) {
      await db.query(this.writes[0], this.parameters);
      return;
    }
    await db.query(`WITH ${this.writes.map((sql, index) => `w${index} AS (${sql})`).join(',\n')} SELECT`, this.parameters);
  }
}
