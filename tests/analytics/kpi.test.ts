import { refreshAnalytics } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { customerPayload, orderPayload, productPayload, setDeleted, upsertRaw } from './support/raw';

/*
 * Known data, answers worked out by hand. Default currency EUR (rate 1); USD orders at 1.25, GBP at 0.8.
 * Shop time zone Europe/Paris (UTC+1 in March 2024).
 *
 *  order cust  date_add (local)      valid cur  total_paid_tax_excl  revenue (÷ rate)
 *  1     1     2024-03-10 09:00:00   1     EUR  100.00               100
 *  2     2g    2024-03-10 23:30:00   1     USD   50.00                40
 *  3     3s    2024-03-10 12:00:00   0     EUR   30.00                30 (invalid)
 *  4     4h    2024-03-11 00:15:00   1     GBP   24.00                30 (UTC 2024-03-10 23:15)
 *  5     1     2024-03-11 10:00:00   1     USD   12.50                10
 *  6     3s    2024-03-11 11:00:00   1     EUR   20.00                20
 *  7     2g    2024-03-09 10:00:00   1     EUR 1000.00              raw row deleted: out everywhere
 *  8     6     2024-03-12 10:00:00   0     EUR    9.00                 9 (invalid)
 *  9     7     2024-03-13 08:00:00   1     EUR   10.00                10
 * 10     7     2024-03-12 20:00:00   1     EUR    5.00                 5 (cust 7's first valid: earlier date, higher id)
 * 11     1     2024-05-02 10:00:00   1     EUR    7.00                 7
 * g = guest, s = soft-deleted customer (deleted=1), h = hard-deleted customer (raw deleted_at)
 *
 * kpi 2024-03-10: orders 1,2,3 -> 3 orders, 2 valid, 140, avg 70, new: cust 1 (o1), cust 2 (o2; o7 is deleted) = 2
 * kpi 2024-03-11: orders 4,5,6 -> 3 orders, 3 valid, 60, avg 20, new: cust 4 (o4), cust 3 (o6; o3 invalid) = 2
 * kpi 2024-03-12: orders 8,10 -> 2 orders, 1 valid, 5, avg 5, new: cust 7 (o10) = 1
 * kpi 2024-03-13: order 9 -> 1, 1, 10, 10, 0
 * kpi 2024-05-02: order 11 -> 1, 1, 7, 7, 0
 * no row for 2024-03-09 (its only order is deleted)
 * cohort 2024-03: month 0: customers 1,2,3,4,7 = 5, valid orders 1,2,4,5,6,9,10 = 7, revenue 215;
 *                 month 2: customer 1, 1 order, 7
 */
describe('analytics KPIs on known data', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [
      customerPayload({ id: 1 }),
      customerPayload({ id: 2, guest: true }),
      customerPayload({ id: 3, deleted: true }),
      customerPayload({ id: 4 }),
      customerPayload({ id: 6 }),
      customerPayload({ id: 7 }),
    ]);
    await setDeleted(db.pool, 'customers', [4], true);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-03-10 09:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '100.000000' }),
      orderPayload({ id: 2, customerId: 2, dateAdd: '2024-03-10 23:30:00', valid: true, currencyId: 2, conversionRate: '1.250000', totalPaidTaxExcl: '50.000000' }),
      orderPayload({ id: 3, customerId: 3, dateAdd: '2024-03-10 12:00:00', valid: false, conversionRate: '1.000000', totalPaidTaxExcl: '30.000000' }),
      orderPayload({ id: 4, customerId: 4, dateAdd: '2024-03-11 00:15:00', valid: true, currencyId: 3, conversionRate: '0.800000', totalPaidTaxExcl: '24.000000' }),
      orderPayload({ id: 5, customerId: 1, dateAdd: '2024-03-11 10:00:00', valid: true, currencyId: 2, conversionRate: '1.250000', totalPaidTaxExcl: '12.500000' }),
      orderPayload({ id: 6, customerId: 3, dateAdd: '2024-03-11 11:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '20.000000' }),
      orderPayload({ id: 7, customerId: 2, dateAdd: '2024-03-09 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '1000.000000' }),
      orderPayload({ id: 8, customerId: 6, dateAdd: '2024-03-12 10:00:00', valid: false, conversionRate: '1.000000', totalPaidTaxExcl: '9.000000' }),
      orderPayload({ id: 9, customerId: 7, dateAdd: '2024-03-13 08:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '10.000000' }),
      orderPayload({ id: 10, customerId: 7, dateAdd: '2024-03-12 20:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '5.000000' }),
      orderPayload({ id: 11, customerId: 1, dateAdd: '2024-05-02 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '7.000000' }),
    ]);
    await setDeleted(db.pool, 'orders', [7], true);
    await refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'Europe/Paris' }, { trigger: 'test' });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('computes daily sales per the contract', async () => {
    const { rows } = await db.pool.query(
      `select sales_date::text, orders_count, valid_orders, revenue_tax_excl::text, avg_order_value::text, new_customers
       from analytics.kpi_daily_sales order by sales_date`,
    );
    expect(rows).toEqual([
      { sales_date: '2024-03-10', orders_count: 3, valid_orders: 2, revenue_tax_excl: '140', avg_order_value: '70', new_customers: 2 },
      { sales_date: '2024-03-11', orders_count: 3, valid_orders: 3, revenue_tax_excl: '60', avg_order_value: '20', new_customers: 2 },
      { sales_date: '2024-03-12', orders_count: 2, valid_orders: 1, revenue_tax_excl: '5', avg_order_value: '5', new_customers: 1 },
      { sales_date: '2024-03-13', orders_count: 1, valid_orders: 1, revenue_tax_excl: '10', avg_order_value: '10', new_customers: 0 },
      { sales_date: '2024-05-02', orders_count: 1, valid_orders: 1, revenue_tax_excl: '7', avg_order_value: '7', new_customers: 0 },
    ]);
  });

  it('keeps every non-deleted order in fact_orders, on its shop-local date, in the default currency', async () => {
    const { rows } = await db.pool.query(
      `select order_id::int, customer_id::int, order_date::text, is_valid, revenue_tax_excl::text,
              to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as ordered_at_utc
       from analytics.fact_orders where order_id in (2, 3, 4, 7) order by order_id`,
    );
    expect(rows).toEqual([
      { order_id: 2, customer_id: 2, order_date: '2024-03-10', is_valid: true, revenue_tax_excl: '40', ordered_at_utc: '2024-03-10 22:30' },
      { order_id: 3, customer_id: 3, order_date: '2024-03-10', is_valid: false, revenue_tax_excl: '30', ordered_at_utc: '2024-03-10 11:00' },
      { order_id: 4, customer_id: 4, order_date: '2024-03-11', is_valid: true, revenue_tax_excl: '30', ordered_at_utc: '2024-03-10 23:15' },
    ]);
    const count = await db.pool.query('select count(*)::int as n from analytics.fact_orders');
    expect(count.rows[0].n).toBe(10);
  });

  it('describes customers: soft-deleted kept and flagged, hard-deleted dropped, first valid order by date then id', async () => {
    const { rows } = await db.pool.query(
      `select customer_id::int, is_guest, is_deleted, orders_count, valid_orders_count, first_valid_order_id::int,
              first_valid_order_date::text, cohort_month::text, lifetime_revenue_tax_excl::text, customer_status
       from analytics.dim_customer order by customer_id`,
    );
    expect(rows).toEqual([
      { customer_id: 1, is_guest: false, is_deleted: false, orders_count: 3, valid_orders_count: 3, first_valid_order_id: 1, first_valid_order_date: '2024-03-10', cohort_month: '2024-03-01', lifetime_revenue_tax_excl: '117', customer_status: 'returning' },
      { customer_id: 2, is_guest: true, is_deleted: false, orders_count: 1, valid_orders_count: 1, first_valid_order_id: 2, first_valid_order_date: '2024-03-10', cohort_month: '2024-03-01', lifetime_revenue_tax_excl: '40', customer_status: 'new' },
      { customer_id: 3, is_guest: false, is_deleted: true, orders_count: 2, valid_orders_count: 1, first_valid_order_id: 6, first_valid_order_date: '2024-03-11', cohort_month: '2024-03-01', lifetime_revenue_tax_excl: '20', customer_status: 'new' },
      { customer_id: 6, is_guest: false, is_deleted: false, orders_count: 1, valid_orders_count: 0, first_valid_order_id: null, first_valid_order_date: null, cohort_month: null, lifetime_revenue_tax_excl: '0', customer_status: 'prospect' },
      { customer_id: 7, is_guest: false, is_deleted: false, orders_count: 2, valid_orders_count: 2, first_valid_order_id: 10, first_valid_order_date: '2024-03-12', cohort_month: '2024-03-01', lifetime_revenue_tax_excl: '15', customer_status: 'returning' },
    ]);
  });

  it('builds monthly cohorts from the first valid order, dense, with cohort size and retention', async () => {
    const { rows } = await db.pool.query(
      `select cohort_month::text, months_since, customers, valid_orders, revenue_tax_excl::text, cohort_customers,
              retention_rate::text
       from analytics.cohort_monthly order by cohort_month, months_since`,
    );
    expect(rows).toEqual([
      { cohort_month: '2024-03-01', months_since: 0, customers: 5, valid_orders: 7, revenue_tax_excl: '215', cohort_customers: 5, retention_rate: '1.0000' },
      // No one of the cohort ordered in April: the month is there, with zeros.
      { cohort_month: '2024-03-01', months_since: 1, customers: 0, valid_orders: 0, revenue_tax_excl: '0', cohort_customers: 5, retention_rate: '0.0000' },
      { cohort_month: '2024-03-01', months_since: 2, customers: 1, valid_orders: 1, revenue_tax_excl: '7', cohort_customers: 5, retention_rate: '0.2000' },
    ]);
  });

  it('keeps order lines of live orders with their revenue in the default currency', async () => {
    const { rows } = await db.pool.query(
      `select order_line_id::int, order_id::int, product_id::int, quantity, line_revenue_tax_excl::text
       from analytics.fact_order_lines where order_id in (2, 7) order by order_line_id`,
    );
    expect(rows).toEqual([{ order_line_id: 200, order_id: 2, product_id: 1, quantity: 1, line_revenue_tax_excl: '40' }]);
  });

  it('keeps shop-local and UTC timestamps and cleans zero dates and empty ids in staging', async () => {
    const { rows } = await db.pool.query(
      `select created_at_local::text, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_utc,
              invoice_at_local, delivery_at, invoice_number, conversion_rate::text
       from staging.stg_orders where order_id = 4`,
    );
    expect(rows).toEqual([
      { created_at_local: '2024-03-11 00:15:00', created_utc: '2024-03-10 23:15:00', invoice_at_local: null, delivery_at: null, invoice_number: null, conversion_rate: '0.800000' },
    ]);
    // One shop language: PrestaShop sends the name as a plain string; without a known default language it is keyed 'default'.
    const products = await db.pool.query('select product_name, product_names, supplier_id, price_tax_excl::text from staging.stg_products');
    expect(products.rows).toEqual([{ product_name: 'Product 1', product_names: { default: 'Product 1' }, supplier_id: null, price_tax_excl: '10.000000' }]);
    const customers = await db.pool.query('select gender_id, birthday, newsletter_at_local from staging.stg_customers where customer_id = 1');
    expect(customers.rows).toEqual([{ gender_id: null, birthday: null, newsletter_at_local: null }]);
  });
});
