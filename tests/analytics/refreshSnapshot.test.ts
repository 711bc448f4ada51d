import { refreshAnalytics, type RefreshDeps } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { customerPayload, orderPayload, productPayload, upsertRaw, type LineSpec } from './support/raw';

const version = (lines: LineSpec[]) => {
  const total = lines.reduce((sum, line) => sum + Number(line.unitPriceTaxExcl) * line.quantity, 0).toFixed(6);
  return orderPayload({ id: 1, customerId: 1, dateAdd: '2024-05-01 10:00:00', valid: true, conversionRate: '1.000000', totalPaidTaxExcl: total, lines });
};
const line = (id: number, price: string): LineSpec => ({ id, productId: 1, quantity: 1, unitPriceTaxExcl: price });

const V1 = version([line(11, '10.000000'), line(12, '20.000000')]);
const V2 = version([line(11, '10.000000'), line(12, '20.000000'), line(13, '30.000000')]);
const V3 = version([line(11, '10.000000')]);

describe('a refresh reads raw in one snapshot', () => {
  let db: TestDatabase;
  const deps = (onStep?: RefreshDeps['onStep']): RefreshDeps => ({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: 'UTC', ...(onStep ? { onStep } : {}) });

  async function staged(): Promise<{ total: string | undefined; lines: number[] }> {
    const order = await db.pool.query<{ total: string }>('select total_products::text as total from staging.stg_orders where order_id = 1');
    const lines = await db.pool.query<{ id: number }>('select order_line_id::int as id from staging.stg_order_lines where order_id = 1 order by 1');
    return { total: order.rows[0]?.total, lines: lines.rows.map((r) => r.id) };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertRaw(db.pool, 'customers', [customerPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'products', [productPayload({ id: 1 })]);
    await upsertRaw(db.pool, 'orders', [V1]);
    await refreshAnalytics(deps(), { trigger: 'test' });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('keeps stg_orders and stg_order_lines on one version of an order a sync rewrites between them', async () => {
    await upsertRaw(db.pool, 'orders', [V2]);
    const steps: string[] = [];
    const result = await refreshAnalytics(
      deps(async (step) => {
        steps.push(step);
        // A sync commits the next version after stg_orders has read the order and before stg_order_lines reads it.
        if (step === 'stg_orders') await upsertRaw(db.pool, 'orders', [V3]);
      }),
      { trigger: 'test' },
    );
    expect(steps.indexOf('stg_orders')).toBeLessThan(steps.indexOf('stg_order_lines'));
    expect(result.status).toBe('succeeded');
    expect(await staged()).toEqual({ total: '60.000000', lines: [11, 12, 13] });
    expect(result.dataQuality.filter((r) => r.check === 'order_totals_match_lines' && r.status === 'fail')).toEqual([]);
    const facts = await db.pool.query('select total_products::text, (select sum(line_total_tax_excl)::text from analytics.fact_order_lines where order_id = 1) as lines from analytics.fact_orders where order_id = 1');
    expect(facts.rows).toEqual([{ total_products: '60.000000', lines: '60.000000' }]);

    // The version committed during that refresh was stamped after its mark: the next refresh takes it.
    const next = await refreshAnalytics(deps(), { trigger: 'test' });
    expect(next.changed.orders).toBe(1);
    expect(await staged()).toEqual({ total: '10.000000', lines: [11] });
  });
});
