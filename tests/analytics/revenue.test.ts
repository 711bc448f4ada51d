import { refreshAnalytics } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { slipPayload, upsertDocuments } from './support/documents';
import { snapshotAnalytics, upsertRaw } from './support/raw';
import { order3, REVENUE_ZONE, seedRevenueShop } from './support/revenueShop';

/*
 * The shop of support/revenueShop.ts, answers worked out by hand (money tax excluded, default currency EUR):
 *
 *  order day        valid gross        discounts shipping     refunded cost        margin         units
 *  1     2024-05-01 1     100          10        5            30 (05-03) 2x12+15=39 100-10-39=51  3
 *  2     2024-05-01 1     37.5/1.25=30 0         2.5/1.25=2   0          unknown   unknown        3
 *  3     2024-05-02 1->0  20           0         0            20 (05-03) 8         20-0-8=12     1
 *
 * kpi 2024-05-01: gross 130, discounts 10, shipping 7, units 6, refunds 0, net 120, margin 51 (order 2 has no
 *                 cost: orders_without_cost 1), revenue 95 + 40/1.25 = 127
 * kpi 2024-05-02 while order 3 is valid: gross 20, units 1, net 20, margin 12, revenue 20; once canceled: zeros
 * kpi 2024-05-03 (no order, the slips' day): refunds 30 + 20 = 50 while order 3 is valid, then 30; net -50, then -30
 */
const KPI_SQL = `select sales_date::text as day, orders_count, valid_orders, revenue_tax_excl::text as revenue,
    gross_sales_tax_excl::text as gross, discounts_tax_excl::text as discounts, shipping_tax_excl::text as shipping,
    units_sold::int as units, refunds_tax_excl::text as refunds, net_sales_tax_excl::text as net,
    gross_margin_tax_excl::text as margin, orders_without_cost as without_cost
  from analytics.kpi_daily_sales order by sales_date`;

const utc = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as ${column}`;

describe('revenue that matches the bank, on known data', () => {
  let db: TestDatabase;
  const refresh = (full = false) => refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: REVENUE_ZONE }, { trigger: 'test', full });
  const kpi = async () => (await db.pool.query<Record<string, unknown>>(KPI_SQL)).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedRevenueShop(db.pool);
    await refresh();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('gives each order its gross sales, discounts, shipping, refunds, cost of goods, margin and fulfilment times', async () => {
    const { rows } = await db.pool.query(
      `select order_id::int, gross_sales_tax_excl::text as gross, discounts_tax_excl::text as discounts, shipping_tax_excl::text as shipping,
         refunded_tax_excl::text as refunded, cost_of_goods::text as cost, gross_margin_tax_excl::text as margin,
         ${utc('paid_at')}, ${utc('shipped_at')}, ${utc('delivered_at')}
       from analytics.fact_orders order by order_id`,
    );
    expect(rows).toEqual([
      // Delivered at 07:00 UTC: "Processing in progress" (09:00 Paris) is the first state flagged delivery.
      { order_id: 1, gross: '100', discounts: '10', shipping: '5', refunded: '30', cost: '39', margin: '51', paid_at: '2024-05-01 10:00', shipped_at: '2024-05-02 13:30', delivered_at: '2024-05-02 07:00' },
      { order_id: 2, gross: '30', discounts: '0', shipping: '2', refunded: '0', cost: null, margin: null, paid_at: '2024-05-01 13:05', shipped_at: null, delivered_at: null },
      { order_id: 3, gross: '20', discounts: '0', shipping: '0', refunded: '20', cost: '8', margin: '12', paid_at: null, shipped_at: null, delivered_at: null },
    ]);
  });

  it('gives each line its cost (supplier price, else wholesale price) and what was refunded', async () => {
    const { rows } = await db.pool.query(
      `select order_line_id::int as line, unit_cost::text as cost, quantity_refunded as refunded, quantity_returned as returned,
         refunded_tax_excl::text as amount
       from analytics.fact_order_lines order by order_line_id`,
    );
    expect(rows).toEqual([
      { line: 11, cost: '12.000000', refunded: 1, returned: 0, amount: '30' },
      { line: 12, cost: '15.000000', refunded: 0, returned: 0, amount: '0' },
      { line: 21, cost: null, refunded: 0, returned: 0, amount: '0' },
      { line: 31, cost: '8.000000', refunded: 1, returned: 0, amount: '20' },
    ]);
  });

  it('keeps slips, payments (each in its own currency), status changes and vouchers as facts', async () => {
    const refunds = await db.pool.query(
      `select slip_id::int, order_id::int, refund_date::text, products_tax_excl::text as products, shipping_tax_excl::text as shipping
       from analytics.fact_refunds order by slip_id`,
    );
    expect(refunds.rows).toEqual([
      { slip_id: 1, order_id: 1, refund_date: '2024-05-03', products: '30', shipping: '0' },
      { slip_id: 2, order_id: 3, refund_date: '2024-05-03', products: '20', shipping: '0' },
    ]);
    const payments = await db.pool.query(
      'select payment_id::int, order_reference, payment_date::text, payment_method, amount::text from analytics.fact_payments order by payment_id',
    );
    expect(payments.rows).toEqual([
      { payment_id: 1, order_reference: 'REF1', payment_date: '2024-05-01', payment_method: 'Bank wire', amount: '57' },
      { payment_id: 2, order_reference: 'REF1', payment_date: '2024-05-01', payment_method: 'Card', amount: '57' },
      { payment_id: 3, order_reference: 'REF2', payment_date: '2024-05-01', payment_method: 'Card', amount: '38.4' },
      // 00:30 in Paris is 22:30 UTC the day before: the payment's date is the shop's.
      { payment_id: 4, order_reference: 'REF3', payment_date: '2024-05-03', payment_method: 'Bank wire', amount: '24' },
    ]);
    const changes = await db.pool.query(
      `select history_id::int, order_id::int, state_id::int, ${utc('changed_at')}, previous_state_id::int, seconds_since_previous::int as seconds
       from analytics.fact_order_status_changes order by history_id`,
    );
    expect(changes.rows).toEqual([
      { history_id: 101, order_id: 1, state_id: 1, changed_at: '2024-05-01 08:00', previous_state_id: null, seconds: null },
      { history_id: 102, order_id: 1, state_id: 2, changed_at: '2024-05-01 10:00', previous_state_id: 1, seconds: 7200 },
      { history_id: 103, order_id: 1, state_id: 3, changed_at: '2024-05-02 07:00', previous_state_id: 2, seconds: 75_600 },
      { history_id: 104, order_id: 1, state_id: 4, changed_at: '2024-05-02 13:30', previous_state_id: 3, seconds: 23_400 },
      { history_id: 105, order_id: 1, state_id: 5, changed_at: '2024-05-04 09:00', previous_state_id: 4, seconds: 156_600 },
      { history_id: 201, order_id: 2, state_id: 2, changed_at: '2024-05-01 13:05', previous_state_id: null, seconds: null },
    ]);
    const discounts = await db.pool.query('select order_id::int, cart_rule_id::int, name, value_tax_excl::text as value from analytics.fact_order_discounts');
    expect(discounts.rows).toEqual([{ order_id: 1, cart_rule_id: 7, name: 'Spring 10', value: '10' }]);
  });

  const may1 = { day: '2024-05-01', orders_count: 2, valid_orders: 2, revenue: '127', gross: '130', discounts: '10', shipping: '7', units: 6, refunds: '0', net: '120', margin: '51', without_cost: 1 };
  const zeros = { revenue: '0', gross: '0', discounts: '0', shipping: '0', units: 0, refunds: '0', net: '0', margin: '0', without_cost: 0 };

  it('counts a refund on the slip\'s day, and drops it there once its order is no longer valid', async () => {
    expect(await kpi()).toEqual([
      may1,
      { day: '2024-05-02', orders_count: 1, valid_orders: 1, ...zeros, revenue: '20', gross: '20', units: 1, net: '20', margin: '12' },
      { day: '2024-05-03', orders_count: 0, valid_orders: 0, ...zeros, refunds: '50', net: '-50' },
    ]);
    await upsertRaw(db.pool, 'orders', [order3(false)]);
    const canceled = await refresh();
    expect(canceled.mode).toBe('incremental');
    expect(canceled.changed.orders).toBe(1);
    expect(await kpi()).toEqual([
      may1,
      { day: '2024-05-02', orders_count: 1, valid_orders: 0, ...zeros },
      { day: '2024-05-03', orders_count: 0, valid_orders: 0, ...zeros, refunds: '30', net: '-30' },
    ]);
    const incremental = await snapshotAnalytics(db.pool);
    await refresh(true);
    expect(await snapshotAnalytics(db.pool)).toEqual(incremental);
  });

  it('moves a refund whose slip changes day, refreshing only that slip\'s order', async () => {
    await upsertDocuments(db.pool, 'order_slips', [
      slipPayload({ id: 1, orderId: 1, dateAdd: '2024-05-04 09:00:00', conversionRate: '1.000000', productsTaxExcl: '30.000000', lines: [{ detailId: 11, quantity: 1, amountTaxExcl: '30.000000' }] }),
    ]);
    const moved = await refresh();
    expect(moved.changed.orders).toBe(0);
    expect(moved.documentsChanged).toEqual({ orderDetails: 0, orderCartRules: 0, slips: 1, payments: 0, histories: 0 });
    const days = (await kpi()).map((row) => [row.day, row.refunds, row.net]);
    // 2024-05-03 is left with no order and no refund: gone.
    expect(days).toEqual([['2024-05-01', '0', '120'], ['2024-05-02', '0', '0'], ['2024-05-04', '30', '-30']]);
    const incremental = await snapshotAnalytics(db.pool);
    await refresh(true);
    expect(await snapshotAnalytics(db.pool)).toEqual(incremental);
  });

  it('reads the new money rounded in the reading views', async () => {
    const daily = await db.pool.query(
      "select gross_sales_tax_excl::text as gross, net_sales_tax_excl::text as net, gross_margin_tax_excl::text as margin, units_sold::int as units from analytics.daily_sales where sales_date = '2024-05-01'",
    );
    expect(daily.rows).toEqual([{ gross: '130.00', net: '120.00', margin: '51.00', units: 6 }]);
    const order = await db.pool.query('select cost_of_goods::text as cost, refunded_tax_excl::text as refunded from analytics.orders where order_id = 1');
    expect(order.rows).toEqual([{ cost: '39.00', refunded: '30.00' }]);
    const line = await db.pool.query('select unit_cost::text as cost, quantity_refunded from analytics.order_lines where order_line_id = 11');
    expect(line.rows).toEqual([{ cost: '12.00', quantity_refunded: 1 }]);
  });
});
