import type { PoolClient } from 'pg';
import { DataQualityError, runDataQualityChecks, type DataQualityResult } from '../../shared/analytics/dataQuality';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { withTransaction } from '../../shared/db/transaction';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createFullCheckScope } from './support/scope';
import { customerPayload, orderPayload, productPayload, snapshotAnalytics, upsertRaw } from './support/raw';

const failing = (results: DataQualityResult[]) =>
  results.filter((r) => r.status === 'fail').map((r) => ({ check: r.check, entity: r.entity, severity: r.severity, failingCount: r.failingCount, sampleIds: r.sampleIds }));

class Rollback extends Error {}

describe('data-quality checks', () => {
  let db: TestDatabase;
  const refresh = (full = false) =>
    refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC' }, { trigger: 'test', full });

  /** Crafts a defect, runs every check over everything, and rolls the defect back. */
  async function checksAfter(defect: string): Promise<DataQualityResult[]> {
    let results: DataQualityResult[] = [];
    await withTransaction(db.pool, async (client: PoolClient) => {
      await client.query(defect);
      await createFullCheckScope(client);
      results = await runDataQualityChecks(client);
      throw new Rollback();
    }).catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
    return results;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 }), customerPayload({ id: 2 })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 }), productPayload({ id: 2 })]);
    await upsertRaw(db.pool, 'orders', [
      orderPayload({
        id: 1, customerId: 1, dateAdd: '2024-04-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '30.000000',
        lines: [{ id: 11, productId: 1, quantity: 2, unitPriceTaxExcl: '10.000000' }, { id: 12, productId: 2, quantity: 1, unitPriceTaxExcl: '10.000000' }],
      }),
      orderPayload({ id: 2, customerId: 2, dateAdd: '2024-04-02 10:00:00', valid: false, conversionRate: '2.000000', totalPaidTaxExcl: '8.000000',
        lines: [{ id: 21, productId: 2, quantity: 1, unitPriceTaxExcl: '8.000000' }] }),
    ]);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('stays quiet on clean data and keeps every result in staging', async () => {
    const result = await refresh();
    expect(result.status).toBe('succeeded');
    expect(failing(result.dataQuality)).toEqual([]);
    const stored = await db.pool.query(
      `select count(*)::int as n, count(*) filter (where status = 'pass')::int as passed, min(run_id)::int as run_id
       from staging.data_quality_results where run_id = $1`,
      [result.runId],
    );
    expect(stored.rows[0]).toEqual({ n: result.dataQuality.length, passed: result.dataQuality.length, run_id: result.runId });
    expect(result.dataQuality.map((r) => r.check)).toEqual(
      expect.arrayContaining(['key_not_null', 'key_unique', 'fk_order_customer', 'fk_line_order', 'fk_line_product',
        'order_totals_match_lines', 'money_not_negative', 'dates_plausible', 'schema_drift']),
    );
    expect(failing(await checksAfter('select 1'))).toEqual([]);
  });

  it.each([
    ['a line without an id', `insert into analytics.fact_order_lines (order_line_id, order_id, product_id, quantity) values (null, 1, 1, 1)`,
      { check: 'key_not_null', entity: 'fact_order_lines', severity: 'critical', failingCount: 1, sampleIds: ['order 1'] }],
    ['two lines with one id', `insert into analytics.fact_order_lines (order_line_id, order_id, product_id, quantity, line_total_tax_excl) values (21, 1, 2, 0, 0)`,
      { check: 'key_unique', entity: 'fact_order_lines', severity: 'critical', failingCount: 1, sampleIds: ['21'] }],
    ['an order whose customer is gone', `delete from analytics.dim_customer where customer_id = 2`,
      { check: 'fk_order_customer', entity: 'fact_orders', severity: 'warning', failingCount: 1, sampleIds: ['2'] }],
    ['a line whose order is gone', `insert into analytics.fact_order_lines (order_line_id, order_id, product_id, quantity) values (991, 99, 1, 1)`,
      { check: 'fk_line_order', entity: 'fact_order_lines', severity: 'critical', failingCount: 1, sampleIds: ['991'] }],
    ['lines whose product is gone', `delete from analytics.dim_product where product_id = 2`,
      { check: 'fk_line_product', entity: 'fact_order_lines', severity: 'warning', failingCount: 2, sampleIds: ['12', '21'] }],
    ['an order total off its lines by more than rounding', `update analytics.fact_orders set total_products = total_products + 0.03 where order_id = 1`,
      { check: 'order_totals_match_lines', entity: 'fact_orders', severity: 'warning', failingCount: 1, sampleIds: ['1'] }],
    ['a negative order amount', `update analytics.fact_orders set total_paid_tax_excl = -8, revenue_tax_excl = -4 where order_id = 2`,
      { check: 'money_not_negative', entity: 'fact_orders', severity: 'warning', failingCount: 1, sampleIds: ['2'] }],
    ['a negative line quantity', `update analytics.fact_order_lines set quantity = -1 where order_line_id = 21`,
      { check: 'money_not_negative', entity: 'fact_order_lines', severity: 'warning', failingCount: 1, sampleIds: ['21'] }],
    ['orders dated before 2000 and in the future', `update analytics.fact_orders set ordered_at_local = '1999-12-31 23:00:00' where order_id = 1;
       update analytics.fact_orders set ordered_at = now() + interval '2 days' where order_id = 2`,
      { check: 'dates_plausible', entity: 'fact_orders', severity: 'warning', failingCount: 2, sampleIds: ['1', '2'] }],
    ['a customer created in the future', `update analytics.dim_customer set created_at = now() + interval '3 days' where customer_id = 1`,
      { check: 'dates_plausible', entity: 'dim_customer', severity: 'warning', failingCount: 1, sampleIds: ['1'] }],
  ])('fires on %s', async (_name, defect, expected) => {
    expect(failing(await checksAfter(defect))).toEqual([expected]);
  });

  it('reports schema drift when payload keys appear or disappear, once', async () => {
    const changed = orderPayload({ id: 2, customerId: 2, dateAdd: '2024-04-02 10:00:00', valid: false, conversionRate: '2.000000', totalPaidTaxExcl: '8.000000',
      lines: [{ id: 21, productId: 2, quantity: 1, unitPriceTaxExcl: '8.000000' }] });
    delete changed.module;
    changed.new_field = 'x';
    await upsertRaw(db.pool, 'orders', [changed]);
    const drifted = await refresh();
    expect(drifted.status).toBe('succeeded');
    expect(failing(drifted.dataQuality)).toEqual([
      { check: 'schema_drift', entity: 'prestashop_orders', severity: 'warning', failingCount: 2, sampleIds: ['+new_field', '-module'] },
    ]);
    await upsertRaw(db.pool, 'orders', [{ ...changed, note: 'again' }]);
    const again = await refresh();
    expect(failing(again.dataQuality)).toEqual([
      { check: 'schema_drift', entity: 'prestashop_orders', severity: 'warning', failingCount: 1, sampleIds: ['+note'] },
    ]);
  });

  it('rolls back a refresh that fails a critical check, keeps the previous state, records why, and catches up once fixed', async () => {
    const before = await snapshotAnalytics(db.pool);
    const checkpointBefore = await db.pool.query('select checkpoint from staging.analytics_state');
    // The shop sends two orders that both claim order row 11.
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 3, customerId: 1, dateAdd: '2024-04-03 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '5.000000',
        lines: [{ id: 11, productId: 1, quantity: 1, unitPriceTaxExcl: '5.000000' }] }),
    ]);
    const error = await refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataQualityError);
    expect((error as Error).message).toMatch(/key_unique on fact_order_lines \(1 rows, e\.g\. 11\)/);
    expect(await snapshotAnalytics(db.pool)).toEqual(before);
    expect((await db.pool.query('select checkpoint from staging.analytics_state')).rows).toEqual(checkpointBefore.rows);
    const run = await db.pool.query(
      `select status, error from staging.etl_runs where entity = 'analytics' and kind = 'analytics' order by run_id desc limit 1`,
    );
    expect(run.rows[0].status).toBe('failed');
    expect(run.rows[0].error).toMatch(/key_unique/);
    const stored = await db.pool.query(
      `select check_name, entity, severity, failing_count::int, sample_ids from staging.data_quality_results
       where run_id = (select max(run_id) from staging.etl_runs) and status = 'fail' and severity = 'critical'`,
    );
    expect(stored.rows).toEqual([{ check_name: 'key_unique', entity: 'fact_order_lines', severity: 'critical', failing_count: 1, sample_ids: ['11'] }]);

    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 3, customerId: 1, dateAdd: '2024-04-03 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '5.000000',
        lines: [{ id: 31, productId: 1, quantity: 1, unitPriceTaxExcl: '5.000000' }] }),
    ]);
    const fixed = await refresh();
    expect(fixed.status).toBe('succeeded');
    const kpi = await db.pool.query(`select orders_count, revenue_tax_excl::text from analytics.kpi_daily_sales where sales_date = '2024-04-03'`);
    expect(kpi.rows).toEqual([{ orders_count: 1, revenue_tax_excl: '5' }]);
  });

  it('fails an order that repeats a line it already had, although identical lines are otherwise left in place', async () => {
    const before = await snapshotAnalytics(db.pool);
    const lines = [{ id: 11, productId: 1, quantity: 2, unitPriceTaxExcl: '10.000000' }, { id: 12, productId: 2, quantity: 1, unitPriceTaxExcl: '10.000000' }];
    const order1 = (withLines: typeof lines) =>
      orderPayload({ id: 1, customerId: 1, dateAdd: '2024-04-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '30.000000', lines: withLines });
    await upsertRaw(db.pool, 'orders', [order1([lines[0]!, lines[0]!, lines[1]!])]);
    const error = await refresh().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/key_unique on fact_order_lines \(1 rows, e\.g\. 11\)/);
    expect(await snapshotAnalytics(db.pool)).toEqual(before);
    await upsertRaw(db.pool, 'orders', [order1(lines)]);
    expect((await refresh()).status).toBe('succeeded');
    expect(await snapshotAnalytics(db.pool)).toEqual(before);
  });

  it('publishes warnings: the refresh succeeds and reports them', async () => {
    await upsertRaw(db.pool, 'orders', [
      orderPayload({ id: 4, customerId: 77, dateAdd: '2024-04-04 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: '5.000000',
        lines: [{ id: 41, productId: 1, quantity: 1, unitPriceTaxExcl: '5.000000' }] }),
    ]);
    const result = await refresh();
    expect(result.status).toBe('succeeded');
    expect(failing(result.dataQuality)).toEqual([
      { check: 'fk_order_customer', entity: 'fact_orders', severity: 'warning', failingCount: 1, sampleIds: ['4'] },
    ]);
    const fact = await db.pool.query('select customer_id::int from analytics.fact_orders where order_id = 4');
    expect(fact.rows).toEqual([{ customer_id: 77 }]);
  });

  it('counts a warning over the whole warehouse, not only the rows a refresh changed, until it is resolved', async () => {
    // A refresh that changes something else still reports the orphan order 4 of the previous test.
    await upsertRaw(db.pool, 'products', [productPayload({ id: 2, price: '12.000000' })]);
    const unrelated = await refresh();
    expect(unrelated.changed).toEqual({ customers: 0, products: 1, orders: 0 });
    const orphans = unrelated.dataQuality.find((r) => r.check === 'fk_order_customer');
    expect(orphans).toMatchObject({ status: 'fail', failingCount: 1, sampleIds: ['4'], details: { scope: 'all rows' } });
    expect(unrelated.dataQuality.find((r) => r.check === 'key_unique' && r.entity === 'fact_orders')?.details).toEqual({ scope: 'rows changed in this refresh' });

    // The customer arrives: the order is no longer an orphan, although it did not change itself.
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 77 })]);
    const resolved = await refresh();
    expect(resolved.changed.orders).toBe(0);
    expect(failing(resolved.dataQuality)).toEqual([]);
    expect((await db.pool.query('select count(*)::int as n from staging.data_quality_issues')).rows).toEqual([{ n: 0 }]);
  });
});
