import { refreshAnalytics, type RefreshResult } from '../../shared/analytics/refresh';
import type { EntityResource } from '../../shared/prestashop/api';
import { runReconcile, runSync } from '../../shared/sync';
import { silentLogger } from '../../shared/telemetry/types';
import { startSyncEnv, type SyncEnv } from '../sync/support';
import { snapshotAnalytics } from './support/raw';

interface DayKpi {
  orders: number;
  valid: number;
  revenue: number;
  newCustomers: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Daily KPIs computed from the sandbox's own records, straight from the contract definitions. */
function expectedKpis(env: SyncEnv): Map<string, DayKpi> {
  const orders = env.shop.control.records('orders');
  const days = new Map<string, DayKpi>();
  const day = (date: string): DayKpi => {
    let kpi = days.get(date);
    if (!kpi) days.set(date, (kpi = { orders: 0, valid: 0, revenue: 0, newCustomers: 0 }));
    return kpi;
  };
  const firstValid = new Map<string, { dateAdd: string; id: number }>();
  for (const order of orders) {
    const dateAdd = text(order.date_add);
    const kpi = day(dateAdd.slice(0, 10));
    kpi.orders += 1;
    if (text(order.valid) !== '1') continue;
    kpi.valid += 1;
    kpi.revenue += Number(text(order.total_paid_tax_excl)) / Number(text(order.conversion_rate));
    const customer = text(order.id_customer);
    const known = firstValid.get(customer);
    if (!known || dateAdd < known.dateAdd || (dateAdd === known.dateAdd && order.id < known.id)) firstValid.set(customer, { dateAdd, id: order.id });
  }
  for (const first of firstValid.values()) day(first.dateAdd.slice(0, 10)).newCustomers += 1;
  return days;
}

describe('analytics on the sandbox shop, fed by the real sync and client', () => {
  let env: SyncEnv;

  const syncAll = async (): Promise<void> => {
    for (const entity of ['customers', 'products', 'orders'] as EntityResource[]) {
      await runSync(env.deps, entity, { trigger: 'test' });
      await runReconcile(env.deps, entity, { trigger: 'test', force: true });
    }
  };
  const refresh = (full = false): Promise<RefreshResult> =>
    refreshAnalytics({ pool: env.db.pool, api: env.api, log: silentLogger, telemetry: env.telemetry }, { trigger: 'test', full });

  async function expectKpisToMatchTheShop(): Promise<void> {
    const expected = expectedKpis(env);
    const { rows } = await env.db.pool.query<{ sales_date: string; orders_count: number; valid_orders: number; revenue_tax_excl: string; new_customers: number }>(
      'select sales_date::text, orders_count, valid_orders, revenue_tax_excl::text, new_customers from analytics.kpi_daily_sales order by sales_date',
    );
    expect(rows.map((r) => r.sales_date)).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const kpi = expected.get(row.sales_date)!;
      expect({ day: row.sales_date, orders: row.orders_count, valid: row.valid_orders, newCustomers: row.new_customers }).toEqual({
        day: row.sales_date,
        orders: kpi.orders,
        valid: kpi.valid,
        newCustomers: kpi.newCustomers,
      });
      expect(Math.abs(Number(row.revenue_tax_excl) - kpi.revenue)).toBeLessThan(1e-6);
    }
  }

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 40, products: 15, orders: 160, languages: 2 });
  });

  afterAll(async () => {
    await env.close();
  });

  it('agrees with KPIs computed from the shop after a first load', async () => {
    await syncAll();
    const result = await refresh();
    expect(result.mode).toBe('full');
    expect(result.dataQuality.filter((r) => r.severity === 'critical' && r.status === 'fail')).toEqual([]);
    expect(expectedKpis(env).size).toBeGreaterThan(5);
    await expectKpisToMatchTheShop();
    const settings = await env.db.pool.query('select time_zone from staging.shop_settings');
    expect(settings.rows).toEqual([{ time_zone: 'Europe/Paris' }]);
    const names = await env.db.pool.query(`select count(*)::int as n from staging.stg_products where jsonb_typeof(product_names) = 'object' and product_name is not null`);
    expect(names.rows[0].n).toBe(env.shop.control.count('products'));
  });

  it('still agrees after shop activity, soft and hard deletes, incrementally and after a full rebuild', async () => {
    env.shop.control.simulateActivity({ newCustomers: 5, newOrders: 25, updatedOrders: 15, statusChanges: 20, softDeletes: 3 }, 11);
    const victim = env.shop.control.records('orders')[3]!.id;
    env.shop.control.hardDelete('orders', victim);
    const customerGone = Number(text(env.shop.control.records('orders')[5]!.id_customer));
    env.shop.control.hardDelete('customers', customerGone);
    env.shop.control.advance(600);
    await syncAll();
    const incremental = await refresh();
    expect(incremental.mode).toBe('incremental');
    expect(incremental.changed.orders).toBeGreaterThan(0);
    await expectKpisToMatchTheShop();
    const gone = await env.db.pool.query('select count(*)::int as n from analytics.fact_orders where order_id = $1', [victim]);
    expect(gone.rows[0].n).toBe(0);
    const before = await snapshotAnalytics(env.db.pool);
    await refresh(true);
    expect(await snapshotAnalytics(env.db.pool)).toEqual(before);
  });
});
