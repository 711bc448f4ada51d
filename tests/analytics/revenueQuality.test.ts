import type { DataQualityResult } from '../../shared/analytics/dataQuality';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { detailPayload, setDocumentsDeleted, slipPayload, upsertDocuments } from './support/documents';
import { setDeleted } from './support/raw';
import { REVENUE_ZONE, seedRevenueShop } from './support/revenueShop';

const REVENUE_CHECKS = ['payments_match_orders', 'refunds_within_order_total', 'line_refunds_match_slips', 'lines_without_cost'];

/** The revenue checks' outcome: check -> failing ids ('pass' when none). */
const outcome = (results: DataQualityResult[]): Record<string, string[] | 'pass'> =>
  Object.fromEntries(
    results.filter((r) => REVENUE_CHECKS.includes(r.check)).map((r) => [r.check, r.status === 'pass' ? 'pass' : r.sampleIds]),
  );

/*
 * The shop of support/revenueShop.ts is clean but for line 21 (product 3), whose order_detail carries no cost (one
 * line of four). Each defect below is made, caught, and repaired by the next incremental refresh.
 */
describe('the revenue data-quality warnings', () => {
  let db: TestDatabase;
  const refresh = async () => (await refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: REVENUE_ZONE }, { trigger: 'test' })).dataQuality;
  const CLEAN = { payments_match_orders: 'pass', refunds_within_order_total: 'pass', line_refunds_match_slips: 'pass', lines_without_cost: ['3'] };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedRevenueShop(db.pool);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('pass on clean data, and name the products sold without a cost, with the lines\' share', async () => {
    const results = await refresh();
    expect(outcome(results)).toEqual(CLEAN);
    const noCost = results.find((r) => r.check === 'lines_without_cost');
    // Product 3's line 21 is one of the four lines with an order_detail.
    expect(noCost).toMatchObject({ entity: 'dim_product', severity: 'warning', failingCount: 1, details: { scope: 'all rows', share: 0.25, part: 1, whole: 4 } });
    await upsertDocuments(db.pool, 'order_details', [detailPayload({ id: 21, orderId: 2, productId: 3, quantity: 3, unitPriceTaxExcl: '12.500000', wholesalePrice: '4.000000' })]);
    expect(outcome(await refresh())).toEqual({ ...CLEAN, lines_without_cost: 'pass' });
  });

  it('payments_match_orders: a payment missing from a reference paid in two currencies', async () => {
    await setDocumentsDeleted(db.pool, 'order_payments', [2], true);
    const results = await refresh();
    expect(outcome(results)).toMatchObject({ payments_match_orders: ['REF1'] });
    expect(results.find((r) => r.check === 'payments_match_orders')).toMatchObject({ entity: 'fact_payments', severity: 'warning', failingCount: 1 });
    await setDocumentsDeleted(db.pool, 'order_payments', [2], false);
    expect(outcome(await refresh())).toMatchObject({ payments_match_orders: 'pass' });
    // An order the shop deleted no longer owes its payments: they are reported, and clear when it comes back.
    await setDeleted(db.pool, 'orders', [2], true);
    expect(outcome(await refresh())).toMatchObject({ payments_match_orders: ['REF2'] });
    await setDeleted(db.pool, 'orders', [2], false);
    expect(outcome(await refresh())).toMatchObject({ payments_match_orders: 'pass' });
  });

  it('refunds_within_order_total: a slip refunding more than the order cost', async () => {
    // 50 USD at 1.25 is 40 EUR, more than order 2's 32.
    await upsertDocuments(db.pool, 'order_slips', [slipPayload({ id: 3, orderId: 2, dateAdd: '2024-05-05 10:00:00', conversionRate: '1.250000', productsTaxExcl: '50.000000' })]);
    expect(outcome(await refresh())).toMatchObject({ refunds_within_order_total: ['2'], line_refunds_match_slips: 'pass' });
    await setDocumentsDeleted(db.pool, 'order_slips', [3], true);
    expect(outcome(await refresh())).toMatchObject({ refunds_within_order_total: 'pass' });
  });

  it('line_refunds_match_slips: a line refunded with no slip behind it', async () => {
    await upsertDocuments(db.pool, 'order_details', [
      detailPayload({ id: 12, orderId: 1, productId: 2, quantity: 1, unitPriceTaxExcl: '40.000000', wholesalePrice: '15.000000', refunded: 1, refundedTaxExcl: '40.000000' }),
    ]);
    expect(outcome(await refresh())).toMatchObject({ line_refunds_match_slips: ['12'] });
    await upsertDocuments(db.pool, 'order_details', [detailPayload({ id: 12, orderId: 1, productId: 2, quantity: 1, unitPriceTaxExcl: '40.000000', wholesalePrice: '15.000000' })]);
    const repaired = await refresh();
    expect(outcome(repaired)).toEqual({ ...CLEAN, lines_without_cost: 'pass' });
    expect((await db.pool.query("select count(*)::int as n from staging.data_quality_issues where check_name = any($1)", [REVENUE_CHECKS])).rows).toEqual([{ n: 0 }]);
  });
});
