import { refreshAnalytics } from '../../shared/analytics/refresh';
import { createShopApi } from '../../shared/prestashop/client';
import { runSync } from '../../shared/sync/runSync';
import type { SyncDeps } from '../../shared/sync/types';
import { createMemoryTelemetry } from '../../shared/telemetry/memory';
import { silentLogger } from '../../shared/telemetry/types';
import { query, RecordedShop, type RecordedReply, type RecordedRoute } from '../support/recordedShop';
import { recording, recordingsAvailable, skippedLine, type Recording } from '../support/realShopRecordings';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The pipeline against a stand-in answering with what a real PrestaShop 8.1.2 sent (its demo data: 2 customers,
 * 19 products, 5 orders). Before PrestaShop 8 was supported, this loaded 0 of 2 customers and 0 of 5 orders and
 * still reported success.
 */
const KEY = 'REALSHOP0RECORDING0TEST0KEY00002';
const describeWithRecordings = recordingsAvailable() ? describe : describe.skip;
if (!recordingsAvailable()) console.log(skippedLine('tests/sync/realShop.test.ts'));

/** The orders recorded as display=full JSON (1 to 4; the fifth was recorded only in XML), in one answer. */
function allOrders(): Recording {
  const first = recording('orders_full_limit2');
  const rest = recording('orders_id_range_keyset');
  const rows = [...(JSON.parse(first.body) as { orders: unknown[] }).orders, ...(JSON.parse(rest.body) as { orders: unknown[] }).orders];
  return { ...first, body: JSON.stringify({ orders: rows }) };
}

/** The recorded rows of an order's children (details, cart rules) for the orders a request names, as the shop filters them. */
function childrenOf(name: string, key: string): (q: URLSearchParams) => RecordedReply {
  const recorded = recording(name);
  const rows = (JSON.parse(recorded.body) as Record<string, { id: number; id_order: number }[]>)[key] ?? [];
  return (q) => {
    const wanted = new Set((/^\[(.*)\]$/.exec(q.get('filter[id_order]') ?? '')?.[1] ?? '').split('|').map(Number));
    const after = Number(/^>\[(\d+)\]$/.exec(q.get('filter[id]') ?? '')?.[1] ?? 0);
    let matching = rows.filter((r) => wanted.has(r.id_order) && r.id > after).sort((a, b) => a.id - b.id);
    if (q.get('sort') === '[id_DESC]') matching = matching.reverse().slice(0, 1).map((r) => ({ id: r.id }) as { id: number; id_order: number });
    return { ...recorded, body: matching.length === 0 ? '[]' : JSON.stringify({ [key]: matching }) };
  };
}

function routes(): RecordedRoute[] {
  const empty = recording('orders_date_filter_empty');
  const fullPage = (q: URLSearchParams) => q.get('display') === 'full' && q.get('sort') === '[id_ASC]' && q.get('filter[id]') === '>[0]';
  const probe = query.is('sort', '[id_DESC]');
  return [
    { path: '/api/configurations', when: query.is('display', '[id,name,value]'), reply: recording('configurations_filter') },
    { path: '/api/configurations', when: query.is('display', 'full'), reply: recording('configurations_full') },
    { path: '/api/customers', when: fullPage, reply: recording('customers_full') },
    { path: '/api/products', when: fullPage, reply: recording('products_full') },
    { path: '/api/orders', when: fullPage, reply: allOrders() },
    { path: '/api/order_details', when: () => true, reply: childrenOf('order_details_full', 'order_details') },
    { path: '/api/order_cart_rules', when: () => true, reply: childrenOf('order_cart_rules_with_data', 'order_cart_rules') },
    ...['customers', 'products', 'orders'].map((resource) => ({ path: `/api/${resource}`, when: probe, reply: empty })),
    { path: '/api/order_states', when: query.is('display', 'full'), reply: recording('order_states_full') },
    { path: '/api/currencies', when: query.is('display', 'full'), reply: recording('currencies_full') },
    { path: '/api/languages', when: query.is('display', 'full'), reply: recording('languages_full') },
  ];
}

describeWithRecordings('a real PrestaShop 8.1.2 shop, recorded', () => {
  let db: TestDatabase;
  let shop: RecordedShop;
  let deps: SyncDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    shop = await RecordedShop.start(KEY, routes);
    const api = createShopApi({ baseUrl: shop.baseUrl, apiKey: () => Promise.resolve(KEY), requestTimeoutMs: 5000 });
    // The demo data was written a minute before the recordings: no lag, so the window reaches it.
    deps = { pool: db.pool, api, log: silentLogger, telemetry: createMemoryTelemetry(), settings: { lagSeconds: 0, overlapSeconds: 300, pageSize: 100, reconcileMaxDeleteShare: 0.05, reconcilePageSize: 1000 } };
  });

  afterAll(async () => {
    await shop.close();
    await db.drop();
  });

  it('loads every customer, product and order, with nothing set aside', async () => {
    for (const [entity, count] of [['customers', 2], ['products', 19], ['orders', 4]] as const) {
      const result = await runSync(deps, entity, { trigger: 'test' });
      expect(result).toMatchObject({ status: 'succeeded', rowsFetched: count, rowsChanged: count, rowsQuarantined: 0 });
    }
    const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from staging.quarantine');
    expect(rows[0]?.n).toBe(0);
    // Each order's details and cart rules came with it (the recorded details of orders 1 to 4; one recorded cart rule, on order 2).
    const details = await db.pool.query<{ parent_id: string; n: number }>('select parent_id, count(*)::int as n from raw.prestashop_order_details group by parent_id order by parent_id');
    expect(details.rows.map((r) => Number(r.parent_id))).toEqual([1, 2, 3, 4]);
    const rules = await db.pool.query<{ id: string; parent_id: string }>('select id, parent_id from raw.prestashop_order_cart_rules');
    expect(rules.rows).toEqual([{ id: '1', parent_id: '2' }]);
    const raw = await db.pool.query<{ payload: Record<string, unknown> }>('select payload from raw.prestashop_orders where id = 1');
    // Kept as received: integers stay JSON numbers, money and flags strings; secrets are gone.
    expect(raw.rows[0]?.payload).toMatchObject({ id_customer: 2, current_state: 6, total_paid_tax_excl: '66.800000', valid: '0' });
    expect(raw.rows[0]?.payload).not.toHaveProperty('secure_key');
    expect(shop.unexpected).toEqual([]);
  });

  it('publishes analytics for every order, with both languages of reference data', async () => {
    const result = await refreshAnalytics({ pool: db.pool, api: deps.api, log: silentLogger, telemetry: createMemoryTelemetry() }, { trigger: 'test' });
    expect(result.changed).toEqual({ customers: 2, products: 19, orders: 4 });
    expect(result.dataQuality.filter((r) => r.severity === 'critical' && r.status === 'fail')).toEqual([]);
    const facts = await db.pool.query<{ order_id: string; customer_id: string; revenue_tax_excl: string; current_state_id: string }>(
      'select order_id, customer_id, revenue_tax_excl::text, current_state_id from analytics.fact_orders order by order_id',
    );
    expect(facts.rows.map((r) => Number(r.order_id))).toEqual([1, 2, 3, 4]);
    expect(facts.rows[0]).toMatchObject({ customer_id: '2', revenue_tax_excl: '66.8', current_state_id: '6' });
    const lines = await db.pool.query<{ n: number }>('select count(*)::int as n from analytics.fact_order_lines');
    expect(lines.rows[0]?.n).toBeGreaterThanOrEqual(5);
    const reference = await db.pool.query<{ resource: string; n: number }>('select resource, count(*)::int as n from staging.shop_reference group by resource order by resource');
    expect(reference.rows).toEqual([
      { resource: 'currencies', n: 1 },
      { resource: 'languages', n: 2 },
      { resource: 'order_states', n: 13 },
    ]);
    expect(shop.unexpected).toEqual([]);
  });
});
