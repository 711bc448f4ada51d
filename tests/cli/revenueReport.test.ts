import { refreshAnalytics } from '../../shared/analytics/refresh';
import { noTelemetry, silentLogger } from '../../shared/telemetry/types';
import { gatherRevenue, renderRevenue } from '../../cli/revenueReport';
import { REVENUE_ZONE, seedRevenueShop } from '../analytics/support/revenueShop';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/* The shop of tests/analytics/revenue.test.ts: its last seven days are 2024-04-27 to 2024-05-03. */
describe('the pipeline report\'s revenue of the last seven days', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedRevenueShop(db.pool);
    await refreshAnalytics({ pool: db.pool, log: silentLogger, telemetry: noTelemetry, timeZone: REVENUE_ZONE }, { trigger: 'test' });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('gives gross, discounts, refunds, net sales and margin per day and in total, rounded to cents', async () => {
    const revenue = await gatherRevenue(db.pool);
    const row = (date: string, gross: string, discounts: string, refunds: string, net: string, margin: string, withoutCost: number) => ({
      sales_date: date, gross_sales_tax_excl: gross, discounts_tax_excl: discounts, refunds_tax_excl: refunds, net_sales_tax_excl: net, gross_margin_tax_excl: margin, orders_without_cost: withoutCost,
    });
    expect(revenue.days).toEqual([
      row('2024-05-01', '130.00', '10.00', '0.00', '120.00', '51.00', 1),
      row('2024-05-02', '20.00', '0.00', '0.00', '20.00', '12.00', 0),
      row('2024-05-03', '0.00', '0.00', '50.00', '-50.00', '0.00', 0),
    ]);
    expect(revenue.total).toEqual(row('total', '150.00', '10.00', '50.00', '90.00', '63.00', 1));
    const lines = renderRevenue(revenue);
    expect(lines[0]).toMatch(/^Revenue, same days \(net sales = gross - discounts - refunds/);
    expect(lines[1]).toMatch(/date\s+gross\s+discounts\s+refunds\s+net sales\s+margin\s+orders without cost/);
    expect(lines.at(-1)).toMatch(/^\s+total\s+150\.00\s+10\.00\s+50\.00\s+90\.00\s+63\.00\s+1$/);
  });

  it('prints nothing on an empty warehouse', () => {
    expect(renderRevenue({ days: [], total: null })).toEqual([]);
  });
});
