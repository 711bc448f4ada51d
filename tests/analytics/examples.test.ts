import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { createPool } from '../../shared/db/pool';
import { bootstrapRoles } from '../../shared/db/roles';
import { sqlDir } from '../../shared/paths';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { withCredentials } from '../support/urls';
import { seedWarehouse } from './support/seededWarehouse';

const passwords = { etl_user: 'etl-test-password', analytics_reader: 'reader-test-password' };
const EXAMPLES = readdirSync(sqlDir('examples')).filter((f) => f.endsWith('.sql')).sort();
type Row = Record<string, string | number | boolean | null>;

describe('the example queries, run as analytics_reader on a seeded warehouse', () => {
  let db: TestDatabase;
  let reader: Pool;
  const results = new Map<string, Row[]>();
  const example = (name: string): Row[] => results.get(`${name}.sql`) ?? [];
  const admin = async (sql: string): Promise<Row[]> => (await db.pool.query<Row>(sql)).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedWarehouse(db.pool);
    await bootstrapRoles(db.pool, passwords);
    reader = createPool({ connectionString: withCredentials(db.url, 'analytics_reader', passwords.analytics_reader), sslMode: 'disable', poolMax: 1, statementTimeoutMs: 60_000 });
    for (const file of EXAMPLES) results.set(file, (await reader.query<Row>(readFileSync(sqlDir('examples', file), 'utf8'))).rows);
  });

  afterAll(async () => {
    await reader?.end();
    await db.drop();
  });

  it('are twelve, and each answers with rows', () => {
    expect(EXAMPLES).toHaveLength(12);
    for (const file of EXAMPLES) expect({ file, rows: (results.get(file) ?? []).length > 0 }).toEqual({ file, rows: true });
  });

  it('give daily net sales within a cent of the contract, day by day, zero days included', async () => {
    const days = example('daily_net_sales');
    expect(days).toHaveLength(90);
    expect(days.at(-1)?.sales_date).toEqual(new Date('2024-06-30T00:00:00'));
    // The contract's definitions, from the raw payloads: revenue = Σ total_paid_tax_excl / conversion_rate of the valid
    // orders; net sales = Σ (total_products - total_discounts_tax_excl) / conversion_rate of the valid orders, minus
    // the products refunded by the slips dated that day (÷ the slip's rate) whose order is valid.
    const contract = await admin(
      `with valid as (select id, payload from raw.prestashop_orders where payload ->> 'valid' = '1'),
       sales as (
         select (payload ->> 'date_add')::date as day,
                sum((payload ->> 'total_paid_tax_excl')::numeric / (payload ->> 'conversion_rate')::numeric) as revenue,
                sum(((payload ->> 'total_products')::numeric - (payload ->> 'total_discounts_tax_excl')::numeric) / (payload ->> 'conversion_rate')::numeric) as net
         from valid group by 1
       ),
       refunds as (
         select (s.payload ->> 'date_add')::date as day,
                sum((s.payload ->> 'total_products_tax_excl')::numeric / (s.payload ->> 'conversion_rate')::numeric) as refunded
         from raw.prestashop_order_slips as s join valid on valid.id = (s.payload ->> 'id_order')::bigint group by 1
       )
       select coalesce(sales.day, refunds.day)::text as day, coalesce(sales.revenue, 0)::text as revenue,
              (coalesce(sales.net, 0) - coalesce(refunds.refunded, 0))::text as net, coalesce(refunds.refunded, 0)::text as refunded
       from sales full join refunds on refunds.day = sales.day`,
    );
    const byDay = new Map(contract.map((r) => [r.day, r]));
    for (const day of days) {
      const key = (day.sales_date as unknown as Date).toLocaleDateString('sv-SE');
      const expected = byDay.get(key);
      expect(Math.abs(Number(day.revenue_tax_excl) - Number(expected?.revenue ?? 0))).toBeLessThanOrEqual(0.01);
      expect(Math.abs(Number(day.net_sales_tax_excl) - Number(expected?.net ?? 0))).toBeLessThanOrEqual(0.01);
      expect(Math.abs(Number(day.refunds_tax_excl) - Number(expected?.refunded ?? 0))).toBeLessThanOrEqual(0.01);
      expect(String(day.net_sales_tax_excl)).toMatch(/^-?\d+(\.\d{2})?$/);
    }
    expect(days.filter((day) => Number(day.refunds_tax_excl) > 0).length).toBeGreaterThan(3);
  });

  it('measure the hours from paid to shipped, week by week', async () => {
    const weeks = example('time_to_ship');
    const expected = await admin(
      `select date_trunc('week', order_date)::date::text as week, count(*)::int as orders,
              round(avg(extract(epoch from shipped_at - paid_at) / 3600), 1)::text as avg_hours,
              round(max(extract(epoch from shipped_at - paid_at) / 3600), 1)::text as max_hours
       from analytics.fact_orders where is_valid and shipped_at >= paid_at group by 1 order by 1`,
    );
    expect(weeks.map((w) => [(w.week_start as unknown as Date).toLocaleDateString('sv-SE'), Number(w.orders_shipped), String(w.avg_hours), String(w.max_hours)])).toEqual(
      expected.map((e) => [e.week, e.orders, e.avg_hours, e.max_hours]),
    );
    expect(weeks.length).toBeGreaterThan(20);
    // Shipped 6, 12, 18 or 24 hours after payment (one more or less across a change of daylight saving time).
    expect(weeks.every((w) => Number(w.max_hours) <= 25 && Number(w.median_hours) >= 5)).toBe(true);
  });

  it('split the net sales of the latest month by category and country, adding up to its gross - discounts - line refunds', async () => {
    const cells = example('net_sales_by_category_and_country');
    const [month] = await admin(
      `with period as (select date_trunc('month', max(sales_date))::date as first_day from analytics.kpi_daily_sales),
            valid as (select o.* from analytics.fact_orders o, period
                       where o.is_valid and o.order_date >= period.first_day and o.order_date < period.first_day + interval '1 month')
       select (select sum(l.line_revenue_tax_excl) - sum(coalesce(l.refunded_tax_excl, 0)) from analytics.fact_order_lines l join valid using (order_id))
              - (select sum(coalesce(valid.discounts_tax_excl, 0)) from valid where exists (select 1 from analytics.fact_order_lines l where l.order_id = valid.order_id)) as net,
              (select sum(coalesce(l.refunded_tax_excl, 0)) from analytics.fact_order_lines l join valid using (order_id)) as refunds`,
    );
    expect(cells.length).toBeGreaterThan(1);
    expect(Number(month?.refunds)).toBeGreaterThan(0);
    const sum = (column: string): number => cells.reduce((total, c) => total + Number(c[column]), 0);
    expect(Math.abs(sum('net_sales_tax_excl') - Number(month?.net))).toBeLessThanOrEqual(0.01 * cells.length);
    expect(Math.abs(sum('refunds_tax_excl') - Number(month?.refunds))).toBeLessThanOrEqual(0.01 * cells.length);
    expect(cells.every((c) => typeof c.category_path === 'string' && typeof c.country_name === 'string')).toBe(true);
    expect(sum('discounts_tax_excl')).toBeGreaterThan(0);
  });

  it('rank the top products as the facts do', async () => {
    const top = example('top_products');
    expect(top).toHaveLength(10);
    const expected = await admin(
      `select l.product_id::text, round(sum(l.line_revenue_tax_excl), 2)::text as revenue
       from analytics.fact_order_lines l join analytics.fact_orders o on o.order_id = l.order_id and o.is_valid
       where l.order_date between date '2024-06-30' - 89 and date '2024-06-30'
       group by l.product_id order by sum(l.line_revenue_tax_excl) desc, l.product_id limit 10`,
    );
    expect(top.map((r) => [String(r.product_id), String(r.revenue_tax_excl)])).toEqual(expected.map((r) => [r.product_id, r.revenue]));
    expect(top.every((r) => typeof r.category_default_name === 'string')).toBe(true);
  });

  it('split revenue by category, country, payment method and carrier, the shares adding up to one', () => {
    const categories = example('top_categories');
    expect(categories.map((r) => r.category_path).sort()).toEqual(['Home > Accessories', 'Home > Clothes > Men']);
    expect(categories.reduce((sum, r) => sum + Number(r.revenue_share), 0)).toBeCloseTo(1, 3);
    expect(example('sales_by_country').map((r) => r.delivery_country_iso).sort()).toEqual(['BE', 'FR', 'US']);
    const payments = example('payment_methods');
    expect(payments.filter((r) => r.dimension === 'carrier').map((r) => r.name).sort()).toEqual(['Click and collect', 'My carrier']);
    expect(payments.filter((r) => r.dimension === 'payment').map((r) => [r.name, r.order_share])).toEqual([['Payment by check', '1.0000']]);
  });

  it('measure repeat purchases and retention from the customers and cohorts', async () => {
    const overall = example('repeat_purchase_rate').find((r) => r.cohort === 'all');
    const expected = await admin(
      `select count(*) filter (where valid_orders_count >= 1)::int as customers,
              count(*) filter (where valid_orders_count >= 2)::int as repeat_customers
       from analytics.dim_customer`,
    );
    expect({ customers: Number(overall?.customers), repeat_customers: Number(overall?.repeat_customers) }).toEqual(expected[0]);
    const grid = example('cohort_retention');
    expect(grid.filter((r) => r.months_since === 0).every((r) => r.retention_rate === '1.0000')).toBe(true);
    // Dense: every cohort runs to the last month, June 2024.
    const cohorts = new Set(grid.map((r) => String(r.cohort_month)));
    for (const cohort of cohorts) {
      const months = grid.filter((r) => String(r.cohort_month) === cohort).map((r) => Number(r.months_since));
      expect(months).toEqual(months.map((_, i) => i));
      expect(new Date(cohort).getMonth() + months.length - 1).toBe(5);
    }
  });

  it('find the stock-outs and the paid orders not yet shipped', () => {
    expect(example('stock_outs').map((r) => [Number(r.product_id), Number(r.stock_out_days), Number(r.days_with_a_variant_out)])).toEqual([
      [1, 3, 0],
      [2, 0, 1],
    ]);
    const backlog = example('shipping_backlog');
    expect(backlog.reduce((sum, r) => sum + Number(r.orders), 0)).toBe(400 - Math.ceil(400 / 9));
  });
});
