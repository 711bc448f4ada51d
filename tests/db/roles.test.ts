import { Client } from 'pg';
import { bootstrapRoles } from '../../shared/db/roles';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { withCredentials } from '../support/urls';

const passwords = { etl_user: 'etl-test-password', analytics_reader: 'reader-test-password' };

describe('least-privilege roles', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await bootstrapRoles(db.pool, passwords);
    await bootstrapRoles(db.pool, passwords); // idempotent
    await db.pool.query('create table analytics.kpi_probe (sales_date date primary key, orders_count int)');
    await db.pool.query(`insert into analytics.kpi_probe values ('2024-01-01', 3)`);
    await db.pool.query('create table public.not_ours (secret text)');
  });

  afterAll(async () => {
    await db.drop();
  });

  async function as<T>(role: keyof typeof passwords, fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: withCredentials(db.url, role, passwords[role]) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  describe('etl_user', () => {
    it('reads and writes raw, staging and analytics tables', async () => {
      await as('etl_user', async (c) => {
        await c.query(`insert into raw.prestashop_orders (id, payload, payload_sha256) values (1, '{}', '\\x00')`);
        await c.query(`update raw.prestashop_orders set payload = '{"a":1}' where id = 1`);
        await c.query(`update staging.etl_watermarks set watermark = '2024-01-01' where entity = 'prestashop_orders'`);
        await c.query(`insert into staging.etl_runs (entity, status) values ('prestashop_orders', 'running')`);
        await c.query(`insert into analytics.kpi_probe values ('2024-01-02', 1)`);
        await c.query(`delete from analytics.kpi_probe where sales_date = '2024-01-02'`);
        await c.query('delete from raw.prestashop_orders where id = 1');
      });
    });

    it('creates its own tables in raw and staging but not in analytics', async () => {
      await as('etl_user', async (c) => {
        await c.query('create table raw.etl_scratch (id int)');
        await c.query('create table staging.etl_scratch (id int)');
        await expect(c.query('create table analytics.etl_scratch (id int)')).rejects.toThrow(/permission denied/);
      });
    });

    it('cannot drop or alter analytics tables, create roles or grant', async () => {
      await as('etl_user', async (c) => {
        await expect(c.query('drop table analytics.kpi_probe')).rejects.toThrow(/must be owner/);
        await expect(c.query('alter table analytics.kpi_probe add column x int')).rejects.toThrow(/must be owner/);
        await expect(c.query('drop table raw.prestashop_orders')).rejects.toThrow(/must be owner/);
        await expect(c.query('create role intruder')).rejects.toThrow(/permission denied/);
        await expect(c.query('grant etl_user to analytics_reader')).rejects.toThrow(/permission denied|must have admin option/);
        await c.query('grant insert on analytics.kpi_probe to analytics_reader'); // only a warning: nothing is granted
        const { rows } = await c.query(`select has_table_privilege('analytics_reader', 'analytics.kpi_probe', 'INSERT') as granted`);
        expect(rows).toEqual([{ granted: false }]);
      });
    });

    it('cannot read data outside its schemas', async () => {
      await as('etl_user', async (c) => {
        await expect(c.query('select * from public.not_ours')).rejects.toThrow(/permission denied/);
      });
    });

    it('reaches tables that later migrations create', async () => {
      await db.pool.query('create table staging.added_later (id int)');
      await db.pool.query('create table analytics.added_later (id int)');
      await as('etl_user', async (c) => {
        await c.query('insert into staging.added_later values (1)');
        await c.query('insert into analytics.added_later values (1)');
      });
      await as('analytics_reader', async (c) => {
        const { rows } = await c.query('select id from analytics.added_later');
        expect(rows).toEqual([{ id: 1 }]);
      });
    });
  });

  describe('analytics_reader', () => {
    it('reads analytics', async () => {
      const rows: unknown[] = await as('analytics_reader', async (c) => (await c.query<{ orders_count: number }>('select orders_count from analytics.kpi_probe')).rows);
      expect(rows).toEqual([{ orders_count: 3 }]);
    });

    it('reads nothing in raw or staging', async () => {
      await as('analytics_reader', async (c) => {
        await expect(c.query('select * from raw.prestashop_orders')).rejects.toThrow(/permission denied/);
        await expect(c.query('select * from staging.etl_watermarks')).rejects.toThrow(/permission denied/);
        await expect(c.query('select * from public.not_ours')).rejects.toThrow(/permission denied/);
      });
    });

    it('cannot write', async () => {
      await as('analytics_reader', async (c) => {
        await expect(c.query(`insert into analytics.kpi_probe values ('2024-02-01', 1)`)).rejects.toThrow(/permission denied/);
        await expect(c.query('delete from analytics.kpi_probe')).rejects.toThrow(/permission denied/);
        await expect(c.query('create table analytics.mine (id int)')).rejects.toThrow(/permission denied/);
      });
    });
  });
});
