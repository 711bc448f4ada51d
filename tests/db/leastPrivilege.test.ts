import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runRoles } from '../../cli/commands/roles';
import { classify } from '../../cli/errors';
import { ExitCode } from '../../cli/exitCodes';
import { migrate } from '../../shared/db/migrate';
import { createPool } from '../../shared/db/pool';
import { bootstrapRoles } from '../../shared/db/roles';
import { sqlDir } from '../../shared/paths';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { adminUrl, withCredentials } from '../support/urls';

const passwords = { etl_user: 'etl-test-password', analytics_reader: 'reader-test-password' };
/** Every raw history table the migrations create (each stream's, and the stock change log). */
const HISTORY = [
  ...new Set(
    readdirSync(sqlDir('migrations'))
      .filter((f) => f.endsWith('.sql'))
      .flatMap((f) => [...readFileSync(sqlDir('migrations', f), 'utf8').matchAll(/create table (raw\.\w+_history)\b/g)].map((m) => m[1]!)),
  ),
].sort();
const DENIED = /permission denied/;

type Role = keyof typeof passwords;

async function as<T>(db: TestDatabase, role: Role, fn: (client: Client) => Promise<T>): Promise<T> {
  // No statement_timeout here: a BI tool's session gets the role's own.
  const client = new Client({ connectionString: withCredentials(db.url, role, passwords[role]) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function insertHistory(client: Client, table: string, id: number): Promise<void> {
  // The stock change log also says when and whether the row was gone.
  const more = table.endsWith('_change_history') ? [', deleted, changed_at', ', false, now()'] : ['', ''];
  await client.query(`insert into ${table} (id, payload_sha256, payload${more[0]}) values ($1, $2, '{}'${more[1]})`, [id, randomBytes(8)]);
}

describe('least privilege after phc roles', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await bootstrapRoles(db.pool, passwords);
    await bootstrapRoles(db.pool, passwords); // idempotent
  });

  afterAll(async () => {
    await db.drop();
  });

  it('etl_user reads the migration ledger but cannot insert, update or delete a row of it', async () => {
    await as(db, 'etl_user', async (c) => {
      const { rows } = await c.query<{ n: number }>('select count(*)::int as n from staging.schema_migrations');
      expect(rows[0]?.n).toBeGreaterThan(0);
      await expect(c.query(`insert into staging.schema_migrations (version, file, checksum) values (99999, '99999_fake.sql', 'x')`)).rejects.toThrow(DENIED);
      await expect(c.query(`update staging.schema_migrations set checksum = 'x'`)).rejects.toThrow(DENIED);
      await expect(c.query('delete from staging.schema_migrations')).rejects.toThrow(DENIED);
      await expect(c.query('truncate staging.schema_migrations')).rejects.toThrow(DENIED);
    });
  });

  it.each(HISTORY)('etl_user appends to %s and reads it, but cannot update or delete it', async (table) => {
    await as(db, 'etl_user', async (c) => {
      await insertHistory(c, table, 1);
      const { rows } = await c.query<{ n: number }>(`select count(*)::int as n from ${table} where id = 1`);
      expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
      await expect(c.query(`update ${table} set payload = '{"changed":true}' where id = 1`)).rejects.toThrow(DENIED);
      await expect(c.query(`delete from ${table} where id = 1`)).rejects.toThrow(DENIED);
      await expect(c.query(`truncate ${table}`)).rejects.toThrow(DENIED);
    });
  });

  it('keeps a history table added later append-only once phc roles runs again', async () => {
    await db.pool.query('create table raw.prestashop_later_stream_history (like raw.prestashop_customers_history including all)');
    await bootstrapRoles(db.pool, passwords);
    await as(db, 'etl_user', async (c) => {
      await insertHistory(c, 'raw.prestashop_later_stream_history', 7);
      await expect(c.query('delete from raw.prestashop_later_stream_history')).rejects.toThrow(DENIED);
      await expect(c.query(`update raw.prestashop_later_stream_history set payload = '{}'`)).rejects.toThrow(DENIED);
    });
  });

  it('etl_user still writes the current raw rows, staging and analytics, and makes temp tables', async () => {
    await as(db, 'etl_user', async (c) => {
      await c.query(`insert into raw.prestashop_orders (id, payload, payload_sha256) values (1, '{}', '\\x00')`);
      await c.query(`update raw.prestashop_orders set deleted_at = now() where id = 1`);
      await c.query('delete from raw.prestashop_orders where id = 1');
      await c.query(`update staging.analytics_state set updated_at = now()`);
      await c.query('delete from staging.data_quality_issues');
      await c.query('create temp table scratch (id int)');
    });
  });

  it('analytics_reader cannot create temporary tables, not even through PUBLIC', async () => {
    await as(db, 'analytics_reader', async (c) => {
      await expect(c.query('create temp table mine (id int)')).rejects.toThrow(/permission denied to create temporary tables/);
    });
    const { rows } = await db.pool.query<{ reader: boolean; public: boolean; etl: boolean }>(
      `select has_database_privilege('analytics_reader', current_database(), 'TEMP') as reader,
              has_database_privilege('public', current_database(), 'TEMP') as public,
              has_database_privilege('etl_user', current_database(), 'TEMP') as etl`,
    );
    expect(rows).toEqual([{ reader: false, public: false, etl: true }]);
  });

  it('analytics_reader reads analytics only, and writes nothing', async () => {
    await as(db, 'analytics_reader', async (c) => {
      await c.query('select count(*) from analytics.kpi_daily_sales');
      await expect(c.query('select * from staging.stg_orders')).rejects.toThrow(DENIED);
      await expect(c.query('select * from raw.prestashop_orders')).rejects.toThrow(DENIED);
      await expect(c.query('select * from staging.schema_migrations')).rejects.toThrow(DENIED);
      await expect(c.query(`insert into analytics.kpi_daily_sales (sales_date, orders_count, valid_orders, revenue_tax_excl, new_customers) values ('2024-01-01', 1, 1, 1, 0)`)).rejects.toThrow(DENIED);
      await expect(c.query('delete from analytics.fact_orders')).rejects.toThrow(DENIED);
      await expect(c.query('update analytics.dim_customer set is_guest = true')).rejects.toThrow(DENIED);
    });
  });

  it("gives analytics_reader's sessions their own statement_timeout, and applies the setting", async () => {
    expect(await as(db, 'analytics_reader', async (c) => (await c.query<{ statement_timeout: string }>('show statement_timeout')).rows)).toEqual([
      { statement_timeout: '2min' },
    ]);
    await bootstrapRoles(db.pool, passwords, { readerStatementTimeout: '1s' });
    await as(db, 'analytics_reader', async (c) => {
      expect((await c.query('show statement_timeout')).rows).toEqual([{ statement_timeout: '1s' }]);
      await expect(c.query('select pg_sleep(3)')).rejects.toThrow(/canceling statement due to statement timeout/);
    });
    // Only in this database: other databases of the server keep their own.
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_db_role_setting where setrole = 'analytics_reader'::regrole and setdatabase = 0`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('fails instead of reporting success when analytics_reader would still get TEMP through a membership', async () => {
    const lender = `phc_t_temp_${randomBytes(4).toString('hex')}`;
    await db.pool.query(`create role ${lender} nologin`);
    try {
      await db.pool.query(`grant temporary on database ${db.name} to ${lender}`);
      await db.pool.query(`grant ${lender} to analytics_reader`);
      await expect(bootstrapRoles(db.pool, passwords)).rejects.toThrow(
        new RegExp(`analytics_reader can still create temporary tables in database ${db.name}: it inherits TEMPORARY from a role it is a member of`),
      );
    } finally {
      await db.pool.query(`revoke ${lender} from analytics_reader`);
      await db.pool.query(`revoke temporary on database ${db.name} from ${lender}`);
      await db.pool.query(`drop role ${lender}`);
    }
  });
});

describe('a database migrated and given its roles before these rules', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    const earlier = mkdtempSync(path.join(os.tmpdir(), 'phc-migrations-'));
    for (const file of ['001_warehouse_foundation.sql', '003_analytics_models.sql']) copyFileSync(sqlDir('migrations', file), path.join(earlier, file));
    await migrate(db.pool, { dir: earlier });
    // What phc roles granted then (the roles themselves are the server's and may exist already).
    await db.pool.query(`
      do $$ begin
        create role etl_user login; exception when duplicate_object then null;
      end $$;
      do $$ begin
        create role analytics_reader login; exception when duplicate_object then null;
      end $$;
      do $$ begin
        execute format('grant connect, temporary on database %I to etl_user, analytics_reader', current_database());
      end $$;
      grant usage on schema raw, staging, analytics to etl_user;
      grant create on schema raw, staging to etl_user;
      grant select, insert, update, delete on all tables in schema raw, staging, analytics to etl_user;
      grant usage on schema analytics to analytics_reader;
      grant select on all tables in schema analytics to analytics_reader;
    `);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('is tightened by the migrations alone, then fully by phc roles', async () => {
    await as(db, 'etl_user', async (c) => {
      await c.query(`update staging.schema_migrations set applied_by = applied_by`);
    });
    await as(db, 'analytics_reader', async (c) => {
      await c.query('create temp table before_005 (id int)');
    });

    const result = await migrate(db.pool);
    expect(result.applied).toEqual(expect.arrayContaining(['005_least_privilege.sql']));
    await as(db, 'etl_user', async (c) => {
      await expect(c.query(`update staging.schema_migrations set applied_by = applied_by`)).rejects.toThrow(DENIED);
      await expect(c.query('delete from raw.prestashop_orders_history')).rejects.toThrow(DENIED);
      await c.query('create temp table still_allowed (id int)');
    });
    await as(db, 'analytics_reader', async (c) => {
      await expect(c.query('create temp table after_005 (id int)')).rejects.toThrow(/permission denied to create temporary tables/);
      expect((await c.query('show statement_timeout')).rows).toEqual([{ statement_timeout: '2min' }]);
    });

    // phc roles on top: what the migration could not know (new tables' grants, passwords) and the same rules again.
    const roles = await runRoles(db.pool, passwords, [], '90s');
    expect(roles.readerStatementTimeout).toBe('90s');
    await as(db, 'etl_user', async (c) => {
      await c.query('delete from staging.data_quality_issues');
      await expect(c.query(`insert into staging.schema_migrations (version, file, checksum) values (99999, 'x.sql', 'x')`)).rejects.toThrow(DENIED);
      await expect(c.query('update raw.prestashop_customers_history set payload = payload')).rejects.toThrow(DENIED);
    });
    await as(db, 'analytics_reader', async (c) => {
      expect((await c.query('show statement_timeout')).rows).toEqual([{ statement_timeout: '90s' }]);
      await c.query('select count(*) from analytics.fact_orders');
    });
  });
});

describe('phc roles as an admin that is not a superuser (as on Azure: CREATEROLE, owner of what it migrated)', () => {
  let db: TestDatabase;
  const login = `phc_t_admin_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    await db.pool.query(`create role ${login} login createrole password 'admin-test-password'`);
    await db.pool.query(`alter database ${db.name} owner to ${login}`);
  });

  afterAll(async () => {
    await db.drop();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`drop role if exists ${login}`).finally(() => admin.end());
  });

  it('migrates and applies the roles', async () => {
    const pool = createPool({ ...db.settings, connectionString: withCredentials(db.url, login, 'admin-test-password') });
    try {
      await migrate(pool);
      await runRoles(pool, passwords, []);
    } finally {
      await pool.end();
    }
    await as(db, 'etl_user', async (c) => {
      await expect(c.query('delete from raw.prestashop_orders_history')).rejects.toThrow(DENIED);
      await c.query('select count(*) from staging.schema_migrations');
    });
    await as(db, 'analytics_reader', async (c) => {
      await expect(c.query('create temp table t (id int)')).rejects.toThrow(/permission denied to create temporary tables/);
      expect((await c.query('show statement_timeout')).rows).toEqual([{ statement_timeout: '2min' }]);
    });
  });
});

describe('phc roles as a login that may not manage roles', () => {
  let db: TestDatabase;
  const login = `phc_t_norole_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`create role ${login} login password 'no-createrole-password'`);
  });

  afterAll(async () => {
    await db.drop();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`drop role if exists ${login}`).finally(() => admin.end());
  });

  it('refuses with one line saying what is missing and how to fix it, before changing anything', async () => {
    const before = await db.pool.query(`select datacl::text from pg_database where datname = current_database()`);
    const pool = createPool({ ...db.settings, connectionString: withCredentials(db.url, login, 'no-createrole-password') });
    const error = await runRoles(pool, {}, []).catch((e: unknown) => e);
    await pool.end();
    expect(classify(error)).toEqual({
      exitCode: ExitCode.usage,
      line: expect.stringMatching(
        new RegExp(`^The login ${login} cannot apply the roles: it lacks CREATEROLE \\(and it is not a superuser\\); ownership of this database; ownership of the warehouse objects it grants on \\(analytics, analytics\\.\\w+, analytics\\.\\w+ and \\d+ more\\)\\. Run phc roles as the admin that ran phc migrate`),
      ) as unknown,
    });
    expect(classify(error).line).not.toContain('\n');
    expect((await db.pool.query(`select datacl::text from pg_database where datname = current_database()`)).rows).toEqual(before.rows);
  });
});
