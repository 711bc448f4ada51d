import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { DataQualityResult } from '../../shared/analytics/dataQuality';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { RAW_SOURCES, REFERENCE_SOURCES, type FieldCasts, type StagingColumns } from '../../shared/analytics/unparseableValues';
import { sqlDir } from '../../shared/paths';
import type { ShopRecord } from '../../shared/prestashop/api';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { detailPayload, historyPayload, paymentPayload, upsertDocuments } from './support/documents';
import { categoryPayload, customerPayload, orderPayload, productPayload, snapshotAnalytics, stockPayload, upsertRaw } from './support/raw';

/*
 * Shop time zone UTC. Customers 1-3, products 1-2. The first refresh loads orders 1 and 4; then customer 1 comes
 * back with birthday 1990-05-00 (a MySQL zero-in-date), and orders 2 and 3 arrive: order 2 with invoice_date
 * 2023-02-30 10:00:00, order 3 with total_paid_tax_excl "n/a" and a line whose unit_price_tax_incl is "n/a".
 *
 *  order cust date_add             valid total_paid_tax_excl revenue
 *  1     1    2024-04-01 10:00:00  1     30.000000           30
 *  2     2    2024-04-01 12:00:00  1     20.000000           20 (invoice date unknown)
 *  3     2    2024-04-02 09:00:00  1     n/a                 unknown: counted as an order, no revenue
 *  4     3    2024-04-02 15:00:00  1     10.000000           10
 *
 * kpi 2024-04-01: 2 orders, 2 valid, revenue 50, avg 25, new customers 1 and 2 = 2
 * kpi 2024-04-02: 2 orders, 2 valid, revenue 10, avg 5 (the model counts an unknown revenue as 0), new: customer 3 = 1
 */
const order = (id: number, customerId: number, dateAdd: string, total: string): ShopRecord =>
  orderPayload({ id, customerId, dateAdd, valid: true, conversionRate: '1.000000', totalPaidTaxExcl: total, lines: [{ id: id * 100, productId: 1 + (id % 2), quantity: 1, unitPriceTaxExcl: total }] });

function badOrders(): ShopRecord[] {
  const second = { ...order(2, 2, '2024-04-01 12:00:00', '20.000000'), invoice_date: '2023-02-30 10:00:00' };
  const third: ShopRecord = { ...order(3, 2, '2024-04-02 09:00:00', '7.000000'), total_paid_tax_excl: 'n/a' };
  const rows = (third.associations as { order_rows: Array<Record<string, unknown>> }).order_rows;
  rows[0] = { ...rows[0], unit_price_tax_incl: 'n/a' };
  return [second, third];
}

/** PrestaShop 8.1 sends fields declared as integers as JSON numbers; money, booleans and dates stay strings. */
const INTEGER_FIELDS = new Set([
  'id_address_delivery', 'id_address_invoice', 'id_cart', 'id_currency', 'id_lang', 'id_customer', 'id_carrier', 'current_state',
  'id_shop_group', 'id_shop', 'id_default_group', 'id_gender', 'id_manufacturer', 'id_supplier', 'id_category_default', 'state',
  'product_id', 'product_attribute_id', 'product_quantity', 'id_customization', 'invoice_number', 'delivery_number',
]);

function as81(record: ShopRecord, inRows = false): ShopRecord {
  const out: ShopRecord = { id: record.id };
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' && /^\d+$/.test(value) && (INTEGER_FIELDS.has(key) || (inRows && key === 'id'))) out[key] = Number(value);
    else if (key === 'associations' && value && typeof value === 'object') {
      const rows = (value as { order_rows?: ShopRecord[] }).order_rows ?? [];
      out[key] = { order_rows: rows.map((row) => as81(row, true)) };
    } else out[key] = value;
  }
  return out;
}

type Form = (record: ShopRecord) => ShopRecord;

const unparseable = (results: DataQualityResult[]) =>
  results
    .filter((r) => r.check === 'unparseable_values' && r.status === 'fail')
    .map((r) => ({ entity: r.entity, severity: r.severity, failingCount: r.failingCount, sampleIds: r.sampleIds, details: r.details }));

const otherFailures = (results: DataQualityResult[]) => results.filter((r) => r.check !== 'unparseable_values' && r.status === 'fail');

const EXPECTED_WARNINGS = [
  { entity: 'prestashop_customers', severity: 'warning', failingCount: 1, sampleIds: ['1'], details: { scope: 'all rows', fields: { birthday: 1 } } },
  {
    entity: 'prestashop_orders',
    severity: 'warning',
    failingCount: 2,
    sampleIds: ['2', '3'],
    details: { scope: 'all rows', fields: { invoice_date: 1, total_paid_tax_excl: 1, 'order_rows.unit_price_tax_incl': 1 } },
  },
];

async function stagingRows(pool: Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables = [['stg_customers', 'customer_id'], ['stg_products', 'product_id'], ['stg_orders', 'order_id'], ['stg_order_lines', 'order_id, order_line_id']] as const;
  for (const [table, order] of tables) {
    const { rows } = await pool.query<{ row: string }>(`select t::text as row from staging.${table} as t order by ${order}`);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

describe('values the casts cannot parse', () => {
  const databases: TestDatabase[] = [];

  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  /** The whole story in one fresh database, with the records in one wire form; returns what it observed. */
  async function scenario(form: Form) {
    const db = await createTestDatabase();
    databases.push(db);
    const refresh = (full = false) => refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test', full });
    await upsertRaw(db.pool, 'customers', [1, 2, 3].map((id) => form(customerPayload({ id }))));
    await upsertRaw(db.pool, 'products', [1, 2].map((id) => form(productPayload({ id }))));
    await upsertRaw(db.pool, 'orders', [form(order(1, 1, '2024-04-01 10:00:00', '30.000000')), form(order(4, 3, '2024-04-02 15:00:00', '10.000000'))]);
    const first = await refresh();

    await upsertRaw(db.pool, 'customers', [form({ ...customerPayload({ id: 1 }), birthday: '1990-05-00' })]);
    await upsertRaw(db.pool, 'orders', badOrders().map(form));
    const incremental = await refresh();
    const afterIncremental = { analytics: await snapshotAnalytics(db.pool), staging: await stagingRows(db.pool) };
    const full = await refresh(true);
    const afterFull = { analytics: await snapshotAnalytics(db.pool), staging: await stagingRows(db.pool) };
    return { db, first, incremental, full, afterIncremental, afterFull };
  }

  let strings: Awaited<ReturnType<typeof scenario>>;
  let numbers: Awaited<ReturnType<typeof scenario>>;

  beforeAll(async () => {
    [strings, numbers] = await Promise.all([scenario((r) => r), scenario((r) => as81(r))]);
  });

  it('lets the incremental and the full refresh succeed, and warns naming the fields and the records', () => {
    expect(strings.first).toMatchObject({ status: 'succeeded', mode: 'full' });
    expect(strings.incremental).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(strings.full).toMatchObject({ status: 'succeeded', mode: 'full' });
    for (const result of [strings.incremental, strings.full]) {
      expect(unparseable(result.dataQuality)).toEqual(EXPECTED_WARNINGS);
      expect(otherFailures(result.dataQuality)).toEqual([]);
    }
    expect(strings.afterFull).toEqual(strings.afterIncremental);
  });

  it('records the warning with its details', async () => {
    const { rows } = await strings.db.pool.query(
      `select entity, failing_count::int, sample_ids, details from staging.data_quality_results
       where run_id = $1 and check_name = 'unparseable_values' and status = 'fail' order by entity`,
      [strings.full.runId],
    );
    expect(rows).toEqual(EXPECTED_WARNINGS.map((w) => ({ entity: w.entity, failing_count: w.failingCount, sample_ids: w.sampleIds, details: w.details })));
  });

  it('publishes everything else: KPIs of every other order, the rest of each record', async () => {
    const pool = strings.db.pool;
    const kpi = await pool.query(
      `select sales_date::text, orders_count, valid_orders, revenue_tax_excl::text, avg_order_value::text, new_customers
       from analytics.kpi_daily_sales order by sales_date`,
    );
    expect(kpi.rows).toEqual([
      { sales_date: '2024-04-01', orders_count: 2, valid_orders: 2, revenue_tax_excl: '50', avg_order_value: '25', new_customers: 2 },
      { sales_date: '2024-04-02', orders_count: 2, valid_orders: 2, revenue_tax_excl: '10', avg_order_value: '5', new_customers: 1 },
    ]);
    const orders = await pool.query(
      `select order_id::int, customer_id::int, invoice_at_local::text, total_paid_tax_excl::text, total_products::text, created_at_local::text
       from staging.stg_orders order by order_id`,
    );
    expect(orders.rows).toEqual([
      { order_id: 1, customer_id: 1, invoice_at_local: null, total_paid_tax_excl: '30.000000', total_products: '30.000000', created_at_local: '2024-04-01 10:00:00' },
      { order_id: 2, customer_id: 2, invoice_at_local: null, total_paid_tax_excl: '20.000000', total_products: '20.000000', created_at_local: '2024-04-01 12:00:00' },
      { order_id: 3, customer_id: 2, invoice_at_local: null, total_paid_tax_excl: null, total_products: '7.000000', created_at_local: '2024-04-02 09:00:00' },
      { order_id: 4, customer_id: 3, invoice_at_local: null, total_paid_tax_excl: '10.000000', total_products: '10.000000', created_at_local: '2024-04-02 15:00:00' },
    ]);
    const lines = await pool.query('select order_line_id::int, unit_price_tax_excl::text, unit_price_tax_incl::text from staging.stg_order_lines where order_id = 3');
    expect(lines.rows).toEqual([{ order_line_id: 300, unit_price_tax_excl: '7.000000', unit_price_tax_incl: null }]);
    const customer = await pool.query('select birthday, created_at_local::text, is_active from staging.stg_customers where customer_id = 1');
    expect(customer.rows).toEqual([{ birthday: null, created_at_local: '2024-01-01 10:00:00', is_active: true }]);
    const facts = await pool.query('select order_id::int, revenue_tax_excl::text from analytics.fact_orders order by order_id');
    expect(facts.rows).toEqual([
      { order_id: 1, revenue_tax_excl: '30' },
      { order_id: 2, revenue_tax_excl: '20' },
      { order_id: 3, revenue_tax_excl: null },
      { order_id: 4, revenue_tax_excl: '10' },
    ]);
  });

  it('gives identical staging and analytics rows whether ids come as strings (1.7) or JSON numbers (8.1)', async () => {
    const raw = await numbers.db.pool.query<{ id_customer: string }>(`select jsonb_typeof(payload -> 'id_customer') as id_customer from raw.prestashop_orders where id = 1`);
    expect(raw.rows).toEqual([{ id_customer: 'number' }]);
    expect(numbers.afterIncremental).toEqual(strings.afterIncremental);
    expect(numbers.afterFull).toEqual(strings.afterFull);
    expect(unparseable(numbers.full.dataQuality)).toEqual(EXPECTED_WARNINGS);
  });

  it('counts the whole warehouse on later refreshes, and clears once the shop is fixed', async () => {
    const pool = strings.db.pool;
    const refresh = () => refreshAnalytics({ pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test' });
    await upsertRaw(pool, 'orders', [order(5, 3, '2024-04-03 10:00:00', '5.000000')]);
    const unrelated = await refresh();
    expect(unrelated.changed.orders).toBe(1);
    expect(unparseable(unrelated.dataQuality)).toEqual(EXPECTED_WARNINGS);

    await upsertRaw(pool, 'orders', [order(3, 2, '2024-04-02 09:00:00', '7.000000')]);
    const fixed = await refresh();
    expect(unparseable(fixed.dataQuality)).toEqual([
      EXPECTED_WARNINGS[0],
      { entity: 'prestashop_orders', severity: 'warning', failingCount: 1, sampleIds: ['2'], details: { scope: 'all rows', fields: { invoice_date: 1 } } },
    ]);
    const open = await pool.query('select check_name, entity, record_id, fields from staging.data_quality_issues order by entity, record_id');
    expect(open.rows).toEqual([
      { check_name: 'unparseable_values', entity: 'prestashop_customers', record_id: '1', fields: ['birthday'] },
      { check_name: 'unparseable_values', entity: 'prestashop_orders', record_id: '2', fields: ['invoice_date'] },
    ]);
  });
});

describe('the fields data quality checks for unparseable values', () => {
  const model = (file: string): string => readFileSync(sqlDir('models', file.startsWith('stg_') ? 'staging' : 'analytics', file), 'utf8');

  /** Every `staging.ps_<cast>(<record>.<field>)` (or `(source.payload ->> 'field')`) of a staging model. */
  function castsIn(file: string, record: string): FieldCasts {
    const pattern = new RegExp(`staging\\.ps_(\\w+)\\(${record}\\.(?:payload ->> ')?(\\w+)'?\\)`, 'g');
    return Object.fromEntries([...model(file).matchAll(pattern)].map((m) => [m[2], m[1]])) as FieldCasts;
  }

  /** The column each cast lands in when NULL stays NULL: `staging.ps_x(r.f) as c`, or nullif(…, 0) around it (not coalesce). */
  function columnsIn(file: string, record: string): StagingColumns {
    const pattern = new RegExp(`(?:nullif\\()?staging\\.ps_\\w+\\(${record}\\.(\\w+)\\)(?:, 0\\))? as (\\w+)`, 'g');
    return Object.fromEntries([...model(file).matchAll(pattern)].map((m) => [m[1], m[2]])) as StagingColumns;
  }

  it('are exactly the fields the staging models cast, with the same cast and the column it lands in', () => {
    const byEntity = Object.fromEntries(RAW_SOURCES.map((s) => [s.entity, s]));
    const customers = byEntity.prestashop_customers;
    const products = byEntity.prestashop_products;
    const orders = byEntity.prestashop_orders;
    expect(customers?.fields).toEqual(castsIn('stg_customers.sql', 'source'));
    expect(customers?.columns).toEqual(columnsIn('stg_customers.sql', 'source'));
    expect(products?.fields).toEqual(castsIn('stg_products.sql', 'source'));
    expect(products?.columns).toEqual(columnsIn('stg_products.sql', 'source'));
    expect(orders?.fields).toEqual(castsIn('stg_orders.sql', 'source'));
    expect(orders?.columns).toEqual(columnsIn('stg_orders.sql', 'source'));
    expect(orders?.orderRows?.fields).toEqual(castsIn('stg_order_lines.sql', 'order_rows'));
    expect(orders?.orderRows?.columns).toEqual(columnsIn('stg_order_lines.sql', 'order_rows'));
    // Coalesced casts have no column that shows a failure: their text is always checked.
    expect(Object.keys(orders?.fields ?? {}).filter((f) => !orders?.columns?.[f])).toEqual(['valid']);
    expect(Object.keys(customers?.fields ?? {}).filter((f) => !customers?.columns?.[f])).toEqual(['deleted']);
    const references = Object.fromEntries(REFERENCE_SOURCES.map((s) => [s.resource, s.fields]));
    expect(references.currencies).toEqual(castsIn('stg_currencies.sql', 'source'));
    expect(references.order_states).toEqual(castsIn('stg_order_states.sql', 'source'));
    expect(Object.keys(castsIn('stg_orders.sql', 'source')).length).toBeGreaterThan(20);
  });

  it('include the order documents as their facts cast them', () => {
    const byEntity = Object.fromEntries(RAW_SOURCES.map((s) => [s.entity, s.fields]));
    expect(byEntity.prestashop_order_details).toEqual(castsIn('fact_order_lines.sql', 'fields'));
    expect(byEntity.prestashop_order_cart_rules).toEqual(castsIn('fact_order_discounts.sql', 'fields'));
    expect(byEntity.prestashop_order_slips).toEqual(castsIn('fact_refunds.sql', 'fields'));
    expect(byEntity.prestashop_order_payments).toEqual(castsIn('fact_payments.sql', 'fields'));
    expect(byEntity.prestashop_order_histories).toEqual(castsIn('fact_order_status_changes.sql', 'fields'));
  });

  it('include the catalog and geography as their models cast them', () => {
    const byEntity = Object.fromEntries(RAW_SOURCES.map((s) => [s.entity, s.fields]));
    expect(byEntity.prestashop_addresses).toEqual(castsIn('stg_addresses.sql', 'source'));
    expect(byEntity.prestashop_categories).toEqual(castsIn('dim_category.sql', 'source'));
    expect(byEntity.prestashop_manufacturers).toEqual(castsIn('dim_manufacturer.sql', 'source'));
    expect(byEntity.prestashop_carriers).toEqual(castsIn('dim_carrier.sql', 'source'));
    expect(byEntity.prestashop_countries).toEqual(castsIn('dim_country.sql', 'source'));
    expect(byEntity.prestashop_combinations).toEqual(castsIn('dim_product_variant.sql', 'source'));
    expect(byEntity.prestashop_stock_availables).toEqual(castsIn('fact_stock_daily.sql', 'fields'));
  });
});

describe('values the casts cannot parse in the order documents', () => {
  let db: TestDatabase;
  const refresh = (full = false) => refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test', full });

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('warn naming the document and the field, publish the rest, and clear once the shop is fixed', async () => {
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 }), productPayload({ id: 2 })]);
    await upsertRaw(db.pool, 'orders', [order(1, 1, '2024-04-01 10:00:00', '30.000000'), order(2, 1, '2024-04-01 12:00:00', '20.000000')]);
    const payment = (id: number, amount: string) =>
      paymentPayload({ id, reference: `REF${id}`, currencyId: 1, conversionRate: '1.000000', amount, method: 'Bank wire', dateAdd: '2024-04-01 11:00:00' });
    await upsertDocuments(db.pool, 'order_payments', [payment(1, '30.000000'), payment(2, 'n/a')]);
    await upsertDocuments(db.pool, 'order_histories', [
      historyPayload({ id: 1, orderId: 1, stateId: 2, dateAdd: '2024-04-01 11:00:00' }),
      historyPayload({ id: 2, orderId: 2, stateId: 2, dateAdd: '2024-02-30 11:00:00' }),
    ]);
    await upsertDocuments(db.pool, 'order_details', [
      detailPayload({ id: 100, orderId: 1, productId: 2, quantity: 1, unitPriceTaxExcl: '30.000000', supplierPrice: '12.000000' }),
      detailPayload({ id: 200, orderId: 2, productId: 1, quantity: 1, unitPriceTaxExcl: '20.000000', supplierPrice: 'twelve' }),
    ]);
    const first = await refresh();
    const expected = [
      { entity: 'prestashop_order_details', severity: 'warning', failingCount: 1, sampleIds: ['200'], details: { scope: 'all rows', fields: { purchase_supplier_price: 1 } } },
      { entity: 'prestashop_order_payments', severity: 'warning', failingCount: 1, sampleIds: ['2'], details: { scope: 'all rows', fields: { amount: 1 } } },
      { entity: 'prestashop_order_histories', severity: 'warning', failingCount: 1, sampleIds: ['2'], details: { scope: 'all rows', fields: { date_add: 1 } } },
    ];
    expect(first.status).toBe('succeeded');
    expect(unparseable(first.dataQuality)).toEqual(expected);
    const payments = await db.pool.query('select payment_id::int, amount::text from analytics.fact_payments order by payment_id');
    expect(payments.rows).toEqual([{ payment_id: 1, amount: '30' }, { payment_id: 2, amount: null }]);

    await upsertDocuments(db.pool, 'order_payments', [payment(2, '20.000000')]);
    const fixed = await refresh();
    const [details, , histories] = expected;
    expect(unparseable(fixed.dataQuality)).toEqual([details, histories]);
    expect(unparseable((await refresh(true)).dataQuality)).toEqual([details, histories]);
  });

  it('warn on the catalog too: a stock quantity that does not parse is not taken for a stock-out silently', async () => {
    await upsertRaw(db.pool, 'categories', [{ ...categoryPayload({ id: 3, parentId: 2, name: 'Clothes' }), level_depth: 'two' }]);
    await upsertRaw(db.pool, 'stock_availables', [
      stockPayload({ id: 1, productId: 1, quantity: 5 }),
      { ...stockPayload({ id: 2, productId: 2, quantity: 0 }), quantity: '12,5' },
    ]);
    const result = await refresh();
    const catalog = unparseable(result.dataQuality).filter((w) => ['prestashop_categories', 'prestashop_stock_availables'].includes(w.entity));
    expect(catalog).toEqual([
      { entity: 'prestashop_categories', severity: 'warning', failingCount: 1, sampleIds: ['3'], details: { scope: 'all rows', fields: { level_depth: 1 } } },
      { entity: 'prestashop_stock_availables', severity: 'warning', failingCount: 1, sampleIds: ['2'], details: { scope: 'all rows', fields: { quantity: 1 } } },
    ]);
    expect(result.status).toBe('succeeded');
  });
});
