import { refreshAnalytics } from '../../shared/analytics/refresh';
import { runSync } from '../../shared/sync';
import type { WindowedStreamName } from '../../shared/sync/entities';
import { silentLogger } from '../../shared/telemetry/types';
import { startSyncEnv, type SyncEnv } from '../sync/support';

const count = async (env: SyncEnv, sql: string): Promise<number> => Number((await env.db.pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);

describe('revenue analytics on the sandbox shop, fed by the real sync', () => {
  let env: SyncEnv;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 30, products: 12, orders: 150, languages: 1 });
  });

  afterAll(async () => {
    await env.close();
  });

  it('gives refunds, payments, status changes, vouchers and costs that agree with the shop', async () => {
    env.shop.control.simulateActivity({ newOrders: 10, statusChanges: 10, refunds: 8 }, 5);
    env.shop.control.advance(600);
    const streams: WindowedStreamName[] = ['customers', 'products', 'orders', 'order_slip', 'order_payments', 'order_histories'];
    for (const stream of streams) await runSync(env.deps, stream, { trigger: 'test' });
    const result = await refreshAnalytics({ pool: env.db.pool, api: env.api, log: silentLogger, telemetry: env.telemetry }, { trigger: 'test' });
    for (const table of ['fact_refunds', 'fact_payments', 'fact_order_status_changes', 'fact_order_discounts']) {
      expect({ table, rows: (await count(env, `select count(*) as n from analytics.${table}`)) > 0 }).toEqual({ table, rows: true });
    }
    expect(await count(env, 'select count(*) as n from analytics.fact_orders where paid_at is not null and cost_of_goods is not null')).toBeGreaterThan(0);
    expect(await count(env, 'select count(*) as n from analytics.kpi_daily_sales where refunds_tax_excl > 0')).toBeGreaterThan(0);
    // The sandbox keeps PrestaShop's rules: payments add up to total_paid_real, slips to the lines they refund.
    const failing = result.dataQuality.filter((r) => ['payments_match_orders', 'refunds_within_order_total', 'line_refunds_match_slips'].includes(r.check) && r.status === 'fail');
    expect(failing.map((r) => `${r.check}: ${r.failingCount} (${r.sampleIds.join(', ')})`)).toEqual([]);
  });
});
