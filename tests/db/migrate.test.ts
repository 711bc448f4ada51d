import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, readMigrations } from '../../shared/db/migrate';
import { createPool } from '../../shared/db/pool';
import { sqlDir } from '../../shared/paths';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('migrations', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false });
  });

  afterEach(async () => {
    await db.drop();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await db.pool.query<{ name: string }>(
      `select table_schema || '.' || table_name as name from information_schema.tables
        where table_schema in ('raw', 'staging', 'analytics') order by 1`,
    );
    return rows.map((r) => r.name);
  }

  it('builds the warehouse on an empty database', async () => {
    const result = await migrate(db.pool);

    expect(result.applied).toEqual(readMigrations().map((m) => m.file));
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'raw.prestashop_customers',
        'raw.prestashop_customers_history',
        'raw.prestashop_orders',
        'raw.prestashop_orders_history',
        'raw.prestashop_products',
        'raw.prestashop_products_history',
        'staging.etl_runs',
        'staging.etl_watermarks',
        'staging.schema_migrations',
      ]),
    );
    const { rows } = await db.pool.query<{ entity: string; watermark: string }>(
      `select entity, to_char(watermark, 'YYYY-MM-DD HH24:MI:SS') as watermark from staging.etl_watermarks order by entity`,
    );
    // The contract's three entities, and every windowed stream added since, start at the epoch.
    expect(rows).toEqual(
      expect.arrayContaining([
        { entity: 'prestashop_customers', watermark: '1970-01-01 00:00:00' },
        { entity: 'prestashop_orders', watermark: '1970-01-01 00:00:00' },
        { entity: 'prestashop_products', watermark: '1970-01-01 00:00:00' },
      ]),
    );
    expect(rows.filter((r) => r.watermark !== '1970-01-01 00:00:00')).toEqual([]);
  });

  it('keeps the contract columns of the raw tables', async () => {
    await migrate(db.pool);
    const { rows } = await db.pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `select table_name, column_name, data_type, is_nullable from information_schema.columns
        where table_schema = 'raw' and table_name = any($1) and column_name in ('id', 'payload', 'deleted_at')
        order by table_name, column_name`,
      [['prestashop_customers', 'prestashop_products', 'prestashop_orders']],
    );
    for (const table of ['prestashop_customers', 'prestashop_orders', 'prestashop_products']) {
      expect(rows.filter((r) => r.table_name === table).map(({ column_name, data_type, is_nullable }) => [column_name, data_type, is_nullable])).toEqual([
        ['deleted_at', 'timestamp with time zone', 'YES'],
        ['id', 'bigint', 'NO'],
        ['payload', 'jsonb', 'NO'],
      ]);
    }
  });

  it('changes nothing when run twice', async () => {
    await migrate(db.pool);
    const before = await tables();
    const second = await migrate(db.pool);

    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(readMigrations().length);
    expect(await tables()).toEqual(before);
    const { rows } = await db.pool.query<{ n: string }>('select count(*) as n from staging.etl_watermarks');
    const streams = await db.pool.query<{ n: string }>(
      "select count(*) as n from pg_tables where schemaname = 'raw' and tablename like 'prestashop%' and tablename not like '%\\_history'",
    );
    // One watermark per windowed stream: fewer than the raw tables (child and swept streams have none), never doubled.
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(3);
    expect(Number(rows[0]?.n)).toBeLessThanOrEqual(Number(streams.rows[0]?.n));
  });

  it('is safe when two processes migrate at once', async () => {
    const other = createPool(db.settings);
    try {
      const results = await Promise.all([migrate(db.pool), migrate(other)]);
      const appliedCounts = results.map((r) => r.applied.length).sort();
      expect(appliedCounts).toEqual([0, readMigrations().length]);
    } finally {
      await other.end();
    }
    const { rows } = await db.pool.query<{ n: string }>('select count(*) as n from staging.schema_migrations');
    expect(Number(rows[0]?.n)).toBe(readMigrations().length);
  });

  it('refuses a landed migration that was edited', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phc-migrations-'));
    cpSync(sqlDir('migrations'), dir, { recursive: true });
    await migrate(db.pool, { dir });
    const first = readMigrations(dir)[0]!;
    writeFileSync(path.join(dir, first.file), `${first.sql}\n-- a later edit\n`);

    await expect(migrate(db.pool, { dir })).rejects.toThrow(
      new RegExp(`Migration ${first.file} was edited after it was applied .*add a new migration`),
    );
  });

  it('orders migrations by number, not as text: 999 before 1000', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phc-migrations-'));
    writeFileSync(path.join(dir, '1000_add_column.sql'), 'alter table staging.numbered add column added_by_1000 int;\n');
    writeFileSync(path.join(dir, '999_create_table.sql'), 'create schema if not exists staging;\ncreate table staging.numbered (id int);\n');

    expect(readMigrations(dir).map((m) => [m.version, m.file])).toEqual([
      [999, '999_create_table.sql'],
      [1000, '1000_add_column.sql'],
    ]);
    const result = await migrate(db.pool, { dir });
    expect(result.applied).toEqual(['999_create_table.sql', '1000_add_column.sql']);
    const { rows } = await db.pool.query<{ version: number }>('select version from staging.schema_migrations order by applied_at, version');
    expect(rows.map((r) => r.version)).toEqual([999, 1000]);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phc-migrations-'));
    cpSync(sqlDir('migrations'), dir, { recursive: true });
    writeFileSync(path.join(dir, '900_broken.sql'), 'create table staging.half_done (id int);\nselect no_such_function();\n');

    await expect(migrate(db.pool, { dir })).rejects.toThrow(/Migration 900_broken.sql failed/);
    const { rows } = await db.pool.query<{ exists: boolean; recorded: string }>(
      `select to_regclass('staging.half_done') is not null as exists,
              (select count(*) from staging.schema_migrations where version = 900) as recorded`,
    );
    expect(rows[0]).toEqual({ exists: false, recorded: '0' });
  });
});
