import { projectionSchemaDdl } from './ddl';
import { defineProjection } from './projection';
import { RowShapeError, normalizeRow, resolveTable } from './table-spec';

const visits = resolveTable({
  name: 'visits',
  columns: {
    patient_id: 'text',
    visit: 'integer',
    seen_on: { type: 'date', nullable: true },
    recorded_at: 'timestamptz',
    details: { type: 'jsonb', nullable: true },
  },
  primaryKey: ['patient_id', 'visit'],
});

describe('table specs', () => {
  it('brings values to one canonical form, however a handler wrote them', () => {
    expect(
      normalizeRow(visits, {
        patient_id: 'ZH01-001',
        visit: '3',
        recorded_at: '2024-02-01T10:00:00+01:00',
        seen_on: new Date('2024-02-01T00:00:00Z'),
      }),
    ).toEqual({ patient_id: 'ZH01-001', visit: 3, seen_on: '2024-02-01', recorded_at: '2024-02-01T09:00:00.000Z', details: null });
  });

  it('gives every instant as toISOString does, whether it arrives canonical or not (leap days, days a month lacks)', () => {
    const row = { patient_id: 'p', visit: 1 };
    for (const instant of [
      '2024-02-29T23:59:59.999Z',
      '2023-02-29T10:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2024-04-31T00:00:00.000Z',
      '2024-12-31T24:00:00.000Z',
      '2024-06-01T12:00:00Z',
      '2024-06-01T12:00:00.000+02:00',
    ]) {
      expect(normalizeRow(visits, { ...row, recorded_at: instant }).recorded_at).toBe(new Date(instant).toISOString());
    }
    expect(() => normalizeRow(visits, { ...row, recorded_at: '2024-13-01T00:00:00.000Z' })).toThrow('must be an ISO 8601 instant');
  });

  it('refuses unknown columns, missing required values and values of the wrong type', () => {
    const row = { patient_id: 'p', visit: 1, recorded_at: '2024-02-01T09:00:00Z' };
    expect(() => normalizeRow(visits, { ...row, colour: 'red' })).toThrow(new RowShapeError('visits has no column "colour"'));
    expect(() => normalizeRow(visits, { ...row, visit: undefined })).toThrow('visits.visit cannot be null');
    expect(() => normalizeRow(visits, { ...row, visit: 1.5 })).toThrow('visits.visit must be a safe integer');
    expect(() => normalizeRow(visits, { ...row, recorded_at: 'yesterday' })).toThrow('visits.recorded_at must be an ISO 8601 instant');
  });

  it('refuses a primary key on a nullable or unknown column and names that are not plain', () => {
    expect(() => resolveTable({ name: 't', columns: { a: { type: 'text', nullable: true } }, primaryKey: ['a'] })).toThrow(
      'cannot be nullable',
    );
    expect(() => resolveTable({ name: 't', columns: { a: 'text' }, primaryKey: ['b'] })).toThrow('is not a column');
    expect(() => resolveTable({ name: 'Drop Table', columns: { a: 'text' }, primaryKey: ['a'] })).toThrow('lower-case letters');
  });

  it('generates the same tables under any schema name, with the runtime’s bookkeeping beside them', () => {
    const projection = defineProjection({
      name: 'visits',
      version: 1,
      tables: [
        { name: 'visits', columns: { patient_id: 'text', visit: 'integer' }, primaryKey: ['patient_id', 'visit'], indexes: [['visit']] },
      ],
      handlers: {},
    });
    const columns = '("patient_id" text NOT NULL, "visit" integer NOT NULL, PRIMARY KEY ("patient_id", "visit"))';
    for (const schema of ['visits', 'visits_rebuild_1']) {
      const ddl = projectionSchemaDdl(projection, schema).join('\n');
      expect(ddl).toContain(`CREATE TABLE "${schema}"."visits" ${columns}`);
      expect(ddl).toContain(`ON "${schema}"."visits" ("visit")`);
      for (const table of ['_streams', '_checkpoint', '_dead_letters']) expect(ddl).toContain(`CREATE TABLE "${schema}"."${table}"`);
    }
  });
});
