import { InvocationContext, type Timer } from '@azure/functions';
import { analyticsRefreshQueue as customersQueue, createSyncCustomersHandler } from '../../functions/syncCustomers';
import { analyticsRefreshQueue as ordersQueue, createSyncOrdersHandler } from '../../functions/syncOrders';
import { analyticsRefreshQueue as productsQueue, createSyncProductsHandler } from '../../functions/syncProducts';
import type { OpenRuntime } from '../../functions/support/runtime';
import { refreshMessageSchema } from '../../shared/sync/refreshMessage';
import { startSyncEnv, testSettings, type SyncEnv } from '../sync/support';
import type { AppConfig } from '../../shared/config/types';
import { refreshAnalytics } from '../../shared/analytics/refresh';
import { createShopApi } from '../../shared/prestashop/client';
import type { SyncRuntime } from '../../shared/sync/jobs';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

describe('sync timer functions', () => {
  let env: SyncEnv;
  let closes = 0;

  beforeAll(async () => {
    env = await startSyncEnv({ customers: 30, products: 20, orders: 40 });
  });

  afterAll(async () => {
    await env.close();
  });

  const runtimeWith = (overrides: Partial<SyncRuntime> = {}, pageSize = 100): SyncRuntime => ({
    config: {
      sync: { ...testSettings, timeBudgetSeconds: 420 } satisfies AppConfig['sync'],
      prestashop: { baseUrl: env.shop.baseUrl, apiKey: () => Promise.resolve(env.shop.apiKey), requestTimeoutMs: 5000, pageSize, concurrency: 1 },
    },
    pool: env.db.pool,
    api: env.api,
    log: env.deps.log,
    telemetry: env.telemetry,
    close: () => {
      closes++;
      return Promise.resolve();
    },
    ...overrides,
  });
  const openRuntime: OpenRuntime = () => Promise.resolve(runtimeWith());
  const catchUpAnalytics = () => refreshAnalytics({ pool: env.db.pool, log: env.deps.log, telemetry: env.telemetry }, { trigger: 'test' });

  const handlers = [
    { name: 'syncCustomers', entity: 'prestashop_customers', queue: customersQueue, handler: createSyncCustomersHandler(openRuntime) },
    { name: 'syncProducts', entity: 'prestashop_products', queue: productsQueue, handler: createSyncProductsHandler(openRuntime) },
    { name: 'syncOrders', entity: 'prestashop_orders', queue: ordersQueue, handler: createSyncOrdersHandler(openRuntime) },
  ] as const;

  it.each(handlers)('$name nudges the analytics refresh while raw holds changes it has not processed, and only then', async ({ name, entity, queue, handler }) => {
    const lines: string[] = [];
    const context = () => new InvocationContext({ invocationId: `inv-${name}`, functionName: name, logHandler: (_level, ...args) => lines.push(args.join(' ')) });
    const closesBefore = closes;

    const first = context();
    await handler(timer, first);
    const message = refreshMessageSchema.parse(first.extraOutputs.get(queue));
    expect(message).toMatchObject({ entity, changedRows: expect.any(Number) });
    expect(message.changedRows).toBeGreaterThan(0);
    const { rows } = await env.db.pool.query('select entity, rows_changed, trigger from staging.etl_runs where run_id = $1', [message.runId]);
    expect(rows[0]).toEqual({ entity, rows_changed: message.changedRows, trigger: 'timer' });

    // Until a refresh processes them, every tick nudges again (messages are nudges: duplicates are harmless).
    env.shop.control.advance(300);
    const again = context();
    await handler(timer, again);
    expect(refreshMessageSchema.parse(again.extraOutputs.get(queue))).toMatchObject({ entity, changedRows: 0 });

    await catchUpAnalytics();
    env.shop.control.advance(300);
    const second = context();
    await handler(timer, second);
    expect(second.extraOutputs.get(queue)).toBeUndefined();
    expect(closes).toBe(closesBefore + 3);
  });

  it('a tick that failed after committing pages sends nothing, and the next tick of another entity sends the nudge', async () => {
    await catchUpAnalytics();
    env.shop.control.advance(300);
    const changed = [...env.shop.control.records('customers')].slice(0, 10).map((r) => r.id);
    for (const id of changed) env.shop.control.update('customers', id, { note: 'changed for the nudge test' });
    env.shop.control.advance(300);
    // The shop dies after the window's first page of five: the page after it answers 502 for good.
    let fullPages = 0;
    const dying = createShopApi({
      baseUrl: env.shop.baseUrl,
      apiKey: () => Promise.resolve(env.shop.apiKey),
      requestTimeoutMs: 5000,
      retry: { maxAttempts: 1 },
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname === '/api/customers' && url.searchParams.get('display') === 'full' && ++fullPages > 1) {
          return Promise.resolve(new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
        }
        return fetch(input, init);
      },
    });
    const failing = new InvocationContext({ invocationId: 'inv-a', functionName: 'syncCustomers' });
    await expect(createSyncCustomersHandler(() => Promise.resolve(runtimeWith({ api: dying }, 5)))(timer, failing)).rejects.toThrow(/Sync of customers failed/);
    expect(failing.extraOutputs.get(customersQueue)).toBeUndefined();
    const loaded = await env.db.pool.query<{ n: number }>("select count(*)::int as n from raw.prestashop_customers where payload->>'note' = 'changed for the nudge test'");
    expect(loaded.rows[0]!.n).toBe(5);

    // The products tick changes nothing itself, but raw holds the five committed customers: it nudges.
    const products = new InvocationContext({ invocationId: 'inv-b', functionName: 'syncProducts' });
    await createSyncProductsHandler(openRuntime)(timer, products);
    expect(refreshMessageSchema.parse(products.extraOutputs.get(productsQueue))).toMatchObject({ entity: 'prestashop_products', changedRows: 0 });
    const refresh = await catchUpAnalytics();
    expect(refresh.changed.customers).toBe(5);
    const inAnalytics = await env.db.pool.query<{ n: number }>('select count(*)::int as n from analytics.dim_customer where customer_id = any($1::bigint[])', [changed.slice(0, 5)]);
    expect(inAnalytics.rows[0]!.n).toBe(5);
  });

  it('logs and rethrows when the runtime cannot be built (bad settings)', async () => {
    const lines: string[] = [];
    const context = new InvocationContext({ invocationId: 'inv-config', functionName: 'syncProducts', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
    const broken: OpenRuntime = () => Promise.reject(new Error('PRESTASHOP_BASE_URL is not set'));
    await expect(createSyncProductsHandler(broken)(timer, context)).rejects.toThrow(/PRESTASHOP_BASE_URL/);
    expect(lines).toEqual([expect.stringMatching(/^error syncProducts failed: PRESTASHOP_BASE_URL is not set/)]);
    expect(context.extraOutputs.get(productsQueue)).toBeUndefined();
  });

  it('logs through the context and rethrows when the run fails', async () => {
    const lines: string[] = [];
    const context = new InvocationContext({ invocationId: 'inv-fail', functionName: 'syncOrders', logHandler: (level, ...args) => lines.push(`${level} ${args.join(' ')}`) });
    env.shop.control.setFaults({ webserviceDisabled: true });
    try {
      await expect(createSyncOrdersHandler(openRuntime)(timer, context)).rejects.toThrow(/Sync of orders failed/);
    } finally {
      env.shop.control.clearFaults();
    }
    expect(lines.some((l) => l.startsWith('error') && l.includes('syncOrders failed'))).toBe(true);
    expect(context.extraOutputs.get(ordersQueue)).toBeUndefined();
    expect(lines.join('\n')).not.toContain(env.shop.apiKey);
  });
});
