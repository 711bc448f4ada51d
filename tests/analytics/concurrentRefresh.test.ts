import { Client } from 'pg';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { LOCK_NAMESPACE, LockKey } from '../../shared/db/advisoryLock';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { customerPayload, orderPayload, upsertRaw } from './support/raw';

const order = (id: number, total: string) =>
  orderPayload({ id, customerId: 1, dateAdd: '2024-06-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: total });

describe('two analytics refreshes at once', () => {
  let db: TestDatabase;
  const refresh = () => refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test' });

  async function waitForLockWaiters(count: number): Promise<void> {
    for (;;) {
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
      );
      if ((rows[0]?.n ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const kpi = async (): Promise<unknown[]> =>
    (await db.pool.query<{ orders_count: number; revenue_tax_excl: string }>(`select orders_count, revenue_tax_excl::text from analytics.kpi_daily_sales where sales_date = '2024-06-01'`)).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [order(1, '10.000000')]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('run one after the other, neither fails, and the result is complete', async () => {
    const results = await Promise.all([refresh(), refresh()]);
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining(['succeeded']));
    for (const r of results) expect(['succeeded', 'skipped']).toContain(r.status);
    expect(await kpi()).toEqual([{ orders_count: 1, revenue_tax_excl: '10' }]);
    const runs = await db.pool.query(`select status from staging.etl_runs where entity = 'analytics' and status in ('failed', 'running')`);
    expect(runs.rows).toEqual([]);
  });

  it('a refresh waiting behind another covers changes committed after the other one fenced', async () => {
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('select pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LockKey.analyticsRefresh]);
      await upsertRaw(db.pool, 'orders', [order(1, '20.000000')]);
      const first = refresh();
      await waitForLockWaiters(1);
      // Committed after the first refresh fenced: beyond its mark, so it is the second refresh's to process.
      await upsertRaw(db.pool, 'orders', [order(2, '5.000000')]);
      const second = refresh();
      await waitForLockWaiters(2);
      await blocker.query('select pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LockKey.analyticsRefresh]);
      const results = await Promise.all([first, second]);
      expect(results[0].changed.orders + results[1].changed.orders).toBe(2);
      expect(await kpi()).toEqual([{ orders_count: 2, revenue_tax_excl: '25' }]);
    } finally {
      await blocker.end();
    }
    const idle = await refresh();
    expect(idle.changed.orders).toBe(0);
    expect(await kpi()).toEqual([{ orders_count: 2, revenue_tax_excl: '25' }]);
  });
});
